package org.castellan.agent.macos.store;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.castellan.agent.spi.KeyProtector;
import org.castellan.agent.spi.PlatformException;
import org.castellan.protocol.Secret;

/**
 * Small secrets kept in the state directory, one file each, sealed by the platform
 * {@link KeyProtector}, created 0600 and replaced atomically (a crash leaves the old or the new
 * value, never half of one). On macOS the protector is file permissions only: see
 * {@link org.castellan.agent.spi.FileKeyProtector} for what that does and does not protect.
 */
public final class SealedSecretFiles {
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,250}");

    private final Supplier<Path> dir;
    private final KeyProtector protector;

    /** @param dir read on every call: the state directory is only known once agent-core starts */
    public SealedSecretFiles(Supplier<Path> dir, KeyProtector protector) {
        this.dir = dir;
        this.protector = protector;
    }

    public Optional<Secret> load(String name) throws PlatformException {
        Path file = file(name);
        byte[] sealed;
        try {
            sealed = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new PlatformException("secret-file-unreadable", "read " + file + ": " + e.getMessage(), e);
        }
        byte[] plain = protector.unseal(sealed);
        try {
            return Optional.of(Secret.fromUtf8(plain));
        } finally {
            Arrays.fill(plain, (byte) 0);
            Arrays.fill(sealed, (byte) 0);
        }
    }

    public boolean exists(String name) {
        return Files.isRegularFile(file(name));
    }

    public void save(String name, Secret value) throws PlatformException {
        Path file = file(name);
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        byte[] plain = value.utf8();
        byte[] sealed = null;
        try {
            sealed = protector.seal(plain);
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(temp);
            // Created 0600 from the start, so the secret is never in a wider-open file.
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(temp, sealed);
            try {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (FileAlreadyExistsException e) {
            throw new PlatformException("secret-file-unsaved", "write " + file + ": " + temp + " appeared concurrently", e);
        } catch (IOException e) {
            throw new PlatformException("secret-file-unsaved", "write " + file + ": " + e.getMessage(), e);
        } finally {
            Arrays.fill(plain, (byte) 0);
            if (sealed != null) {
                Arrays.fill(sealed, (byte) 0);
            }
        }
    }

    public void delete(String name) throws PlatformException {
        Path file = file(name);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new PlatformException("secret-file-unsaved", "delete " + file + ": " + e.getMessage(), e);
        }
    }

    public Path file(String name) {
        if (!FILE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a safe file name: " + name);
        }
        return dir.get().resolve(name);
    }
}
