package org.castellan.agent.diagnose;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.castellan.agent.config.ConfigFile;
import org.castellan.agent.state.RotationJournal;
import org.castellan.agent.state.StateDir;
import org.castellan.agent.state.StateStore;

/**
 * {@code diagnose --bundle FILE}: a zip a user can attach to a support request. It holds the
 * report, the state files that never hold a secret (listed by name: {@code agent.json},
 * {@code config.json}, the rotation journal, the selftest record), a listing of the state
 * directory (names, sizes and modes only) and the tail of the agent's logs. It is an allowlist:
 * the device key and every sealed file stay out whatever they are called.
 */
public final class SupportBundle {
    /** State files copied whole; each one is documented to hold no secret. */
    static final List<String> STATE_FILES = List.of(StateStore.FILE, ConfigFile.FILE, RotationJournal.FILE,
            "selftest-account.json");
    private static final int LOG_TAIL_BYTES = 256 * 1024;

    private SupportBundle() {}

    public static void write(Path target, DiagnosisReport report, StateDir dir) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempFile(parent, ".castellan-bundle", ".tmp");
        try {
            restrict(temp);
            try (OutputStream file = Files.newOutputStream(temp); ZipOutputStream zip = new ZipOutputStream(file)) {
                add(zip, "diagnose.txt", report.text().getBytes(StandardCharsets.UTF_8));
                add(zip, "diagnose.json", report.json().getBytes(StandardCharsets.UTF_8));
                for (String name : STATE_FILES) {
                    if (Files.isRegularFile(dir.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
                        add(zip, "state/" + name, Files.readAllBytes(dir.resolve(name)));
                    }
                }
                add(zip, "state/listing.txt", listing(dir.path()).getBytes(StandardCharsets.UTF_8));
                addLogs(zip, dir.resolve("logs"));
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void addLogs(ZipOutputStream zip, Path logs) throws IOException {
        if (!Files.isDirectory(logs, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(logs, "*.log")) {
            for (Path log : files) {
                if (Files.isRegularFile(log, LinkOption.NOFOLLOW_LINKS)) {
                    add(zip, "logs/" + log.getFileName(), tail(log));
                }
            }
        }
    }

    private static byte[] tail(Path log) throws IOException {
        byte[] all = Files.readAllBytes(log);
        int from = Math.max(0, all.length - LOG_TAIL_BYTES);
        return java.util.Arrays.copyOfRange(all, from, all.length);
    }

    static String listing(Path dir) throws IOException {
        StringBuilder out = new StringBuilder();
        if (!Files.isDirectory(dir)) {
            return dir + " does not exist\n";
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                out.append(entry.getFileName()).append('\t').append(Files.size(entry)).append(" bytes");
                try {
                    PosixFileAttributes attributes = Files.readAttributes(entry, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    out.append('\t').append(PosixFilePermissions.toString(attributes.permissions()))
                            .append('\t').append(attributes.owner().getName());
                } catch (UnsupportedOperationException e) {
                    // Not POSIX (Windows): the ACL check in the report covers it.
                }
                out.append('\n');
            }
        }
        return out.toString();
    }

    private static void add(ZipOutputStream zip, String name, byte[] content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(content);
        zip.closeEntry();
    }

    private static void restrict(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Windows: the temp file inherits the directory's ACL.
        }
    }
}
