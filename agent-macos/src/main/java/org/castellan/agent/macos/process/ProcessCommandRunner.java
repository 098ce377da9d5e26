package org.castellan.agent.macos.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.castellan.agent.process.ToolProcesses;

/**
 * {@link CommandRunner} on {@link ProcessBuilder}. Output streams are drained on their own threads
 * so a chatty tool cannot dead-lock against a full pipe while we are still writing its stdin.
 */
public final class ProcessCommandRunner implements CommandRunner {
    /** Output beyond this is dropped: the tools we run print a few lines. */
    private static final int MAX_OUTPUT_BYTES = 1 << 20;

    @Override
    public CommandResult run(List<String> argv, byte[] stdin, Map<String, String> env, Duration timeout)
            throws CommandException {
        String program = argv.isEmpty() ? "(none)" : argv.get(0);
        ProcessBuilder builder = new ProcessBuilder(argv);
        builder.environment().putAll(env);
        // The tools' messages are parsed; keep them in English whatever the device's locale.
        builder.environment().put("LANG", "C");
        builder.environment().put("LC_ALL", "C");
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new CommandException("start " + program + ": " + e.getMessage(), e);
        }
        CompletableFuture<byte[]> out = drain(process.getInputStream(), program);
        CompletableFuture<byte[]> err = drain(process.getErrorStream(), program);
        // Written on its own thread too, so a program that never reads its input cannot hold us
        // past the timeout.
        ToolProcesses.background(program + "-stdin", () -> {
            try (OutputStream in = process.getOutputStream()) {
                in.write(stdin);
            } catch (IOException e) {
                // The program may exit without reading its input (e.g. a usage error); its exit
                // code and output say what happened.
            }
        });
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                ToolProcesses.killTree(process);
                throw new CommandException(program + " did not finish within " + timeout.toSeconds() + "s");
            }
            return new CommandResult(process.exitValue(), text(out), text(err));
        } catch (InterruptedException e) {
            ToolProcesses.killTree(process);
            Thread.currentThread().interrupt();
            throw new CommandException("interrupted while waiting for " + program, e);
        }
    }

    private static CompletableFuture<byte[]> drain(InputStream stream, String program) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        ToolProcesses.background(program + "-output", () -> {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            byte[] chunk = new byte[8192];
            try (stream) {
                int n;
                while ((n = stream.read(chunk)) >= 0) {
                    if (buffer.size() < MAX_OUTPUT_BYTES) {
                        buffer.write(chunk, 0, Math.min(n, MAX_OUTPUT_BYTES - buffer.size()));
                    }
                }
            } catch (IOException e) {
                // Stream closed by the dying process: keep what we read.
            }
            result.complete(buffer.toByteArray());
        });
        return result;
    }

    private static String text(CompletableFuture<byte[]> future) throws CommandException {
        try {
            return new String(future.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandException("interrupted while reading command output", e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new CommandException("read command output: " + e.getMessage(), e);
        }
    }
}
