package org.castellan.agent.macos.account;

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
import org.castellan.agent.spi.KeyProtector;
import org.castellan.agent.spi.PlatformException;
import org.castellan.protocol.Secret;

/**
 * The managed account's current password, kept on the device so that the next change can be made
 * WITH it ({@code passwd PATH OLD NEW}), which keeps a SecureToken account's FileVault unlock and
 * login keychain working. A reset by root without the old password would break both.
 *
 * <p>One file per account in the state directory, sealed by the platform {@link KeyProtector},
 * created 0600 and replaced atomically. On macOS that protector is file permissions only: see
 * {@link org.castellan.agent.macos.FileKeyProtector} for what that does and does not protect.
 */
public final class CurrentPasswordStore {
    private static final String PREFIX = "current-password-";

    private final Supplier<Path> stateDir;
    private final KeyProtector protector;

    public CurrentPasswordStore(Supplier<Path> stateDir, KeyProtector protector) {
        this.stateDir = stateDir;
        this.protector = protector;
    }

    /** The stored password, or empty when the agent has never set or been given one. */
    public Optional<Secret> load(String account) throws PlatformException {
        Path file = file(account);
        byte[] sealed;
        try {
            sealed = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new PlatformException("current-password-unreadable", "read stored current password of " + account + ": " + e.getMessage(), e);
        }
        byte[] plain = protector.unseal(sealed);
        try {
            return Optional.of(Secret.fromUtf8(plain));
        } finally {
            Arrays.fill(plain, (byte) 0);
            Arrays.fill(sealed, (byte) 0);
        }
    }

    public boolean has(String account) {
        return Files.isRegularFile(file(account));
    }

    public void save(String account, Secret password) throws PlatformException {
        Path file = file(account);
        byte[] plain = password.utf8();
        byte[] sealed = null;
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
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
            throw new PlatformException("current-password-unsaved", "store current password of " + account + ": " + temp + " appeared concurrently", e);
        } catch (IOException e) {
            throw new PlatformException("current-password-unsaved", "store current password of " + account + ": " + e.getMessage(), e);
        } finally {
            Arrays.fill(plain, (byte) 0);
            if (sealed != null) {
                Arrays.fill(sealed, (byte) 0);
            }
        }
    }

    public void delete(String account) throws PlatformException {
        try {
            Files.deleteIfExists(file(account));
        } catch (IOException e) {
            throw new PlatformException("current-password-unsaved", "delete stored current password of " + account + ": " + e.getMessage(), e);
        }
    }

    Path file(String account) {
        return stateDir.get().resolve(PREFIX + AccountNames.requireValid(account));
    }
}
