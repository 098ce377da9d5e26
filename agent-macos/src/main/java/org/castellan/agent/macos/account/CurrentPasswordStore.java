package org.castellan.agent.macos.account;

import java.util.Optional;
import org.castellan.agent.macos.store.SealedSecretFiles;
import org.castellan.agent.spi.PlatformException;
import org.castellan.protocol.Secret;

/**
 * The managed account's current password, kept on the device so that the next change can be made
 * WITH it ({@code passwd PATH OLD NEW}), which keeps a SecureToken account's FileVault unlock and
 * login keychain working. A reset by root without the old password would break both. One sealed
 * 0600 file per account in the state directory.
 */
public final class CurrentPasswordStore {
    private static final String PREFIX = "current-password-";
    private static final String PENDING_SUFFIX = ".pending";

    private final SealedSecretFiles files;

    public CurrentPasswordStore(SealedSecretFiles files) {
        this.files = files;
    }

    /** The stored password, or empty when the agent has never set or been given one. */
    public Optional<Secret> load(String account) throws PlatformException {
        return files.load(fileName(account));
    }

    public boolean has(String account) {
        return files.exists(fileName(account));
    }

    public void save(String account, Secret password) throws PlatformException {
        files.save(fileName(account), password);
    }

    public void delete(String account) throws PlatformException {
        files.delete(fileName(account));
    }

    /**
     * The password being set right now, written before dscl runs: if the agent dies after dscl
     * changed the password but before {@link #save}, this copy still knows it.
     */
    public Optional<Secret> loadPending(String account) throws PlatformException {
        return files.load(fileName(account) + PENDING_SUFFIX);
    }

    public boolean hasPending(String account) {
        return files.exists(fileName(account) + PENDING_SUFFIX);
    }

    public void savePending(String account, Secret password) throws PlatformException {
        files.save(fileName(account) + PENDING_SUFFIX, password);
    }

    public void deletePending(String account) throws PlatformException {
        files.delete(fileName(account) + PENDING_SUFFIX);
    }

    private static String fileName(String account) {
        return PREFIX + AccountNames.requireValid(account);
    }
}
