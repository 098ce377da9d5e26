package org.castellan.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Checks on the processes a test's program started, by the pids it wrote down. */
public final class ProcessTree {
    private ProcessTree() {}

    /** The whitespace-separated pids a test script wrote to {@code file} (e.g. {@code echo $$ $!}). */
    public static List<Long> pidsIn(Path file) throws IOException {
        return Arrays.stream(Files.readString(file).trim().split("\\s+")).map(Long::parseLong).toList();
    }

    /**
     * Whether process {@code pid} is gone, or goes within a few seconds (a killed process needs a
     * moment to be reaped). A deadline for a process that was never killed, not a measurement.
     */
    public static boolean exitsSoon(long pid) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty()) {
            return true;
        }
        try {
            handle.get().onExit().get(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            return !handle.get().isAlive();
        }
    }
}
