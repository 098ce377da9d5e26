package org.castellan.agent.diagnose;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.castellan.agent.spi.DiagnosticCheck;

/**
 * The state directory's ownership and modes on POSIX systems (Linux, macOS): the directory 0700,
 * every file in it 0600 or stricter, all owned by the user the agent runs as (root in service).
 * Shared by the POSIX platforms, like {@code FileKeyProtector}; Windows checks its ACL instead.
 */
public final class PosixStateDirCheck {
    public static final String NAME = "state-dir-permissions";
    private static final Set<PosixFilePermission> GROUP_OR_OTHER = Set.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private PosixStateDirCheck() {}

    public static DiagnosticCheck check(Path dir, String expectedOwner) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return DiagnosticCheck.warn(NAME, dir + " does not exist yet (created at registration)");
        }
        try {
            PosixFileAttributes attributes = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            List<String> problems = new ArrayList<>();
            String mode = PosixFilePermissions.toString(attributes.permissions());
            if (attributes.permissions().stream().anyMatch(GROUP_OR_OTHER::contains)) {
                problems.add(dir + " is " + mode + ", not rwx------");
            }
            if (expectedOwner != null && !expectedOwner.equals(attributes.owner().getName())) {
                problems.add(dir + " is owned by " + attributes.owner().getName() + ", not " + expectedOwner);
            }
            int files = 0;
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                for (Path entry : entries) {
                    PosixFileAttributes file = Files.readAttributes(entry, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    files++;
                    if (file.isRegularFile() && file.permissions().stream().anyMatch(GROUP_OR_OTHER::contains)) {
                        problems.add(entry.getFileName() + " is " + PosixFilePermissions.toString(file.permissions()));
                    }
                    if (expectedOwner != null && !expectedOwner.equals(file.owner().getName())) {
                        problems.add(entry.getFileName() + " is owned by " + file.owner().getName());
                    }
                }
            }
            if (!problems.isEmpty()) {
                return DiagnosticCheck.fail(NAME, String.join("; ", problems));
            }
            return DiagnosticCheck.ok(NAME, dir + " " + mode + " owner " + attributes.owner().getName() + ", "
                    + files + " entries, none readable by group or others");
        } catch (IOException | UnsupportedOperationException e) {
            return DiagnosticCheck.fail(NAME, "read the permissions of " + dir + ": " + e.getMessage());
        }
    }
}
