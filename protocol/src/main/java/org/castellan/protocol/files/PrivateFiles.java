package org.castellan.protocol.files;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks, before a server or agent touches its secrets, that every secret-bearing file and
 * directory is private: owned by the user running the process, and neither readable nor writable
 * by group or others. Shared by the server (its data directory) and the agent (its state
 * directory), so both state the rule the same way. Each problem names the path and the
 * {@code chmod}/{@code chown} that fixes it. POSIX file systems only; elsewhere (Windows ACLs)
 * nothing is checked here.
 */
public final class PrivateFiles {
    private static final Set<PosixFilePermission> OPEN = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);
    private static final Set<PosixFilePermission> WRITABLE = EnumSet.of(PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_WRITE);

    private PrivateFiles() {}

    /** One path that is not private, and the command that makes it so. */
    public record Problem(Path path, String what, String fix) {
        @Override
        public String toString() {
            return path + " " + what + ": " + fix;
        }
    }

    /**
     * Checks each path that exists (links followed: the file a link points to is what holds the
     * secret); paths that do not exist yet are skipped, as they will be created private.
     */
    public static List<Problem> check(Collection<Path> paths) {
        return check(paths, Set.of());
    }

    /**
     * As {@link #check(Collection)}, except that the paths in {@code readable} hold no secret and may
     * be readable by others (never writable: whoever could write them could steer the process).
     */
    public static List<Problem> check(Collection<Path> paths, Set<Path> readable) {
        List<Problem> problems = new ArrayList<>();
        String user = System.getProperty("user.name");
        for (Path path : paths) {
            PosixFileAttributes attributes;
            try {
                if (!Files.exists(path)) {
                    continue;
                }
                attributes = Files.readAttributes(path, PosixFileAttributes.class);
            } catch (UnsupportedOperationException e) {
                return List.of(); // not a POSIX file system
            } catch (IOException e) {
                problems.add(new Problem(path, "cannot be read (" + e.getMessage() + ")",
                        "check that it belongs to " + user + " and is readable by it"));
                continue;
            }
            UserPrincipal owner = attributes.owner();
            if (user != null && !owner.getName().equals(user)) {
                problems.add(new Problem(path, "is owned by " + owner.getName() + ", not " + user,
                        "chown " + user + " " + quote(path)));
            }
            Set<PosixFilePermission> open = EnumSet.noneOf(PosixFilePermission.class);
            open.addAll(attributes.permissions());
            boolean mayBeRead = readable.contains(path);
            open.retainAll(mayBeRead ? WRITABLE : OPEN);
            if (!open.isEmpty()) {
                String fix = mayBeRead ? "chmod go-w " : attributes.isDirectory() ? "chmod 700 " : "chmod 600 ";
                problems.add(new Problem(path, "is " + describe(open) + " (mode "
                        + mode(attributes.permissions()) + ")", fix + quote(path)));
            }
        }
        return problems;
    }

    /** The directory itself and every entry directly in it. */
    public static List<Path> directoryAndEntries(Path dir) {
        List<Path> paths = new ArrayList<>();
        paths.add(dir);
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                entries.forEach(paths::add);
            } catch (IOException e) {
                // reported by check(): the directory cannot be listed
            }
        }
        return paths;
    }

    /** One message naming every problem, for an exit-1 error line. */
    public static String describe(String what, List<Problem> problems) {
        return "refusing to start: " + what + " must be private to the user running it (no group or other "
                + "access); " + problems.stream().map(Problem::toString).collect(Collectors.joining("; "));
    }

    private static String describe(Set<PosixFilePermission> open) {
        boolean group = open.contains(PosixFilePermission.GROUP_READ) || open.contains(PosixFilePermission.GROUP_WRITE);
        boolean others = open.contains(PosixFilePermission.OTHERS_READ) || open.contains(PosixFilePermission.OTHERS_WRITE);
        boolean write = open.contains(PosixFilePermission.GROUP_WRITE) || open.contains(PosixFilePermission.OTHERS_WRITE);
        boolean read = open.contains(PosixFilePermission.GROUP_READ) || open.contains(PosixFilePermission.OTHERS_READ);
        String access = read && write ? "readable and writable" : read ? "readable" : "writable";
        String who = group && others ? "group and others" : group ? "group" : "others";
        return access + " by " + who;
    }

    private static String mode(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission p : permissions) {
            mode |= 1 << (8 - p.ordinal());
        }
        return String.format("%04o", mode);
    }

    private static String quote(Path path) {
        String text = path.toString();
        return text.matches("[A-Za-z0-9_./+-]+") ? text : "'" + text.replace("'", "'\\''") + "'";
    }
}
