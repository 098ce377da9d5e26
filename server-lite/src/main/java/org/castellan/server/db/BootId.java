package org.castellan.server.db;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Which boot of the operating system's kernel this is: Linux's random boot id, new at every boot.
 * Lazy commits ({@link LazyCommits}) rest on it: what the kernel's page cache held survives a crash
 * of the server process (same boot id at the next start) but not a crash of the kernel (a new one).
 * Where there is no boot id (not Linux), lazy commits stay off and every commit is durable.
 */
public final class BootId {
    /** System property naming another file to read it from: how tests play a reboot. */
    public static final String FILE_PROPERTY = "castellan.db.bootIdFile";
    private static final Path LINUX = Path.of("/proc/sys/kernel/random/boot_id");

    private BootId() {}

    /** This boot's id, or empty when the system does not say. */
    public static Optional<String> current() {
        String configured = System.getProperty(FILE_PROPERTY);
        Path file = configured == null || configured.isBlank() ? LINUX : Path.of(configured);
        try {
            String id = Files.readString(file, StandardCharsets.US_ASCII).trim();
            // A uuid; anything else (an empty or odd file) is not trusted to tell boots apart.
            return id.matches("[0-9a-fA-F-]{16,64}") ? Optional.of(id) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
