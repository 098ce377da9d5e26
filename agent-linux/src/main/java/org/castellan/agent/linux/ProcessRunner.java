package org.castellan.agent.linux;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.castellan.agent.process.ToolProcesses;

/**
 * Runs a system tool with a clean environment, optional bytes on its stdin (never secrets in
 * arguments), a timeout, and its output captured for error messages.
 */
final class ProcessRunner {
    /** How much output is kept for an error message; tools here print a line or two. */
    private static final int MAX_OUTPUT = 8192;
    static final Map<String, String> CLEAN_ENV = Map.of(
            "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "LC_ALL", "C");

    record Result(int exitCode, String output) {}

    private ProcessRunner() {}

    /**
     * @param stdin written then closed; the caller wipes it
     * @throws IOException if the tool cannot be started, or times out (it is then killed)
     */
    static Result run(List<String> command, byte[] stdin, Duration timeout) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // A clean environment: the agent's own variables (a registration key, say) are not the
        // tool's business, and LC_ALL=C keeps its messages stable for people and parsers.
        builder.environment().clear();
        builder.environment().putAll(CLEAN_ENV);
        Process process = builder.start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readOutput(process.getInputStream()));
        // Written on its own thread: a tool that never reads its input (or reads it slowly) cannot
        // hold the agent past the timeout by leaving the write blocked on a full pipe.
        ToolProcesses.background("stdin-" + command.get(0), () -> {
            try (OutputStream in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin);
                }
            } catch (IOException e) {
                // The tool exited without reading its input; its exit code and output explain why.
            }
        });
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                ToolProcesses.killTree(process);
                throw new IOException(command.get(0) + " did not finish within " + timeout.toSeconds() + " s and was killed");
            }
            return new Result(process.exitValue(), output.get(5, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            ToolProcesses.killTree(process);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.get(0), e);
        } catch (ExecutionException | TimeoutException e) {
            return new Result(process.exitValue(), "(output unavailable)");
        }
    }

    private static String readOutput(InputStream stream) {
        try (InputStream in = stream) {
            byte[] head = in.readNBytes(MAX_OUTPUT);
            in.transferTo(OutputStream.nullOutputStream());
            return new String(head, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "(output unreadable: " + e.getMessage() + ")";
        }
    }

    /** Finds {@code name} on a PATH string, as a shell would. */
    static Path which(String name, String path) throws IOException {
        if (path != null) {
            for (String dir : path.split(":")) {
                if (dir.isEmpty()) {
                    continue;
                }
                Path candidate = Path.of(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        throw new IOException(name + " not found on PATH " + path);
    }

    /** One line for an error message. */
    static String oneLine(String output) {
        String line = output.replaceAll("\\s*[\\r\\n]+\\s*", "; ");
        return line.isEmpty() ? "(no output)" : line;
    }
}
