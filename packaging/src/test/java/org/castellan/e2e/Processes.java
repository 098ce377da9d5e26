package org.castellan.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs real processes for the end-to-end tests; secrets go in on stdin, never in argv. */
final class Processes {
    private Processes() {}

    static Path jar(String name) {
        String dir = System.getProperty("castellan.jars", "target");
        return Path.of(dir, name).toAbsolutePath();
    }

    /** {@code command} followed by {@code args}, e.g. a {@link TestJvm#jar} line and a subcommand. */
    static List<String> withArgs(List<String> command, String... args) {
        List<String> all = new java.util.ArrayList<>(command);
        all.addAll(List.of(args));
        return all;
    }

    static Process start(List<String> command, Map<String, String> env, Path workDir) throws IOException {
        return start(command, env, workDir, null);
    }

    /** As {@link #start(List, Map, Path)}, with stderr sent to {@code stderrFile} when it is not null. */
    static Process start(List<String> command, Map<String, String> env, Path workDir, Path stderrFile) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command);
        if (stderrFile != null) {
            builder.redirectError(stderrFile.toFile());
        }
        builder.environment().keySet().removeIf(k -> k.startsWith("CASTELLAN_"));
        builder.environment().putAll(env);
        if (workDir != null) {
            builder.directory(workDir.toFile());
        }
        return builder.start();
    }

    /** Runs to completion (at most 120 s), feeding {@code stdin} (may be null). */
    static ProcessResult run(List<String> command, Map<String, String> env, String stdin) throws Exception {
        Process process = start(command, env, null);
        return finish(process, stdin, 120);
    }

    static ProcessResult finish(Process process, String stdin, int timeoutSeconds) throws Exception {
        CompletableFuture<String> out = drain(process.getInputStream());
        CompletableFuture<String> err = drain(process.getErrorStream());
        try (OutputStream in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException ignored) {
            // the process may exit before reading its input; its exit code tells the story
        }
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("process timed out: " + process.info().commandLine().orElse("?"));
        }
        return new ProcessResult(process.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
    }

    static CompletableFuture<String> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                ByteArrayOutputStream buffer = new ByteArrayOutputStream();
                stream.transferTo(buffer);
                return buffer.toString(StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "<unreadable: " + e.getMessage() + ">";
            }
        });
    }
}
