package org.castellan.agent.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;

/**
 * The agent's state directory. Every file is replaced atomically (temp file, fsync, rename, fsync
 * of the directory), so a crash leaves either the old or the new content, never half of it; and
 * every file is created owner-only (0600) from its first byte on POSIX systems, so there is no
 * window in which another user could open it.
 */
public final class StateDir {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;

    public StateDir(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    public Path path() {
        return dir;
    }

    public Path resolve(String name) {
        return dir.resolve(name);
    }

    /** Creates the directory (owner-only on POSIX) if it does not exist. */
    public void create() throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (posix()) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(dir);
        }
    }

    public boolean exists(String name) {
        return Files.exists(dir.resolve(name));
    }

    public Optional<byte[]> read(String name) throws IOException {
        try {
            return Optional.of(Files.readAllBytes(dir.resolve(name)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Replaces {@code name} with {@code content}, durably and atomically, as a 0600 file. */
    public void writeAtomically(String name, byte[] content) throws IOException {
        Path target = dir.resolve(name);
        Path temp = dir.resolve("." + name + ".tmp-" + HexFormat.of().formatHex(randomBytes()));
        try {
            try (FileChannel channel = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), ownerOnlyAttributes())) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("file system of " + dir + " cannot rename atomically", e);
            }
            syncDirectory();
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Deletes {@code name} durably; no error if it is already gone. */
    public void delete(String name) throws IOException {
        if (Files.deleteIfExists(dir.resolve(name))) {
            syncDirectory();
        }
    }

    /** Makes a rename or delete in the directory durable (the entry lives in the directory). */
    private void syncDirectory() throws IOException {
        if (!posix()) {
            return; // Windows cannot open a directory as a channel; NTFS journals renames itself.
        }
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private FileAttribute<?>[] ownerOnlyAttributes() {
        return posix() ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
    }

    private boolean posix() {
        try {
            return Files.getFileStore(Files.exists(dir) ? dir : existingAncestor())
                    .supportsFileAttributeView("posix");
        } catch (IOException e) {
            return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        }
    }

    private Path existingAncestor() {
        Path p = dir;
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return p == null ? dir.getRoot() : p;
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    @Override
    public String toString() {
        return dir.toString();
    }
}
