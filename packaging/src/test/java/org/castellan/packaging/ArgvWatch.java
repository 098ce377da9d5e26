package org.castellan.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Watches every process's command line ({@code /proc/PID/cmdline}) while something runs, and
 * records those that contain a secret: a registration key must never be an argument, where any
 * user of the machine could read it with {@code ps}. It also counts the command lines it saw, so a
 * test can tell it was actually looking.
 */
final class ArgvWatch implements AutoCloseable {
    private final byte[] secret;
    private final List<String> leaks = new CopyOnWriteArrayList<>();
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger scans = new AtomicInteger();
    private final Thread thread;

    private ArgvWatch(String secret) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        thread = new Thread(this::poll, "argv-watch");
        thread.setDaemon(true);
        thread.start();
    }

    static ArgvWatch forSecret(String secret) {
        return new ArgvWatch(secret);
    }

    private void poll() {
        while (running.get()) {
            try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
                for (Path proc : procs) {
                    byte[] cmdline;
                    try {
                        cmdline = Files.readAllBytes(proc.resolve("cmdline"));
                    } catch (IOException e) {
                        continue; // the process ended meanwhile
                    }
                    if (cmdline.length == 0) {
                        continue;
                    }
                    String line = new String(cmdline, StandardCharsets.UTF_8).replace('\0', ' ').strip();
                    if (!seen.contains(line) && seen.size() < 5000) {
                        seen.add(line);
                    }
                    if (indexOf(cmdline, secret) >= 0) {
                        leaks.add(proc.getFileName() + ": " + line.replace(new String(secret, StandardCharsets.UTF_8), "<KEY>"));
                    }
                }
            } catch (IOException e) {
                // /proc itself unreadable: nothing to scan this round
            }
            scans.incrementAndGet();
            Thread.onSpinWait();
        }
    }

    /** Command lines that held the secret (with the secret masked). */
    List<String> leaks() {
        return new ArrayList<>(leaks);
    }

    /** Distinct command lines seen, to show the watch looked at the processes of interest. */
    List<String> seen() {
        return new ArrayList<>(seen);
    }

    /**
     * The command lines seen that contain {@code part}: what a test asserts on, so that a failure
     * lists the processes of interest and not every other process on the machine.
     */
    List<String> seenWith(String part) {
        return seen.stream().filter(line -> line.contains(part)).toList();
    }

    int scans() {
        return scans.get();
    }

    @Override
    public void close() {
        running.set(false);
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
