package org.castellan.agent.windows.account;

import java.security.SecureRandom;
import org.castellan.agent.spi.ManagedAccount;
import org.castellan.agent.spi.PlatformException;
import org.castellan.agent.spi.ThrowawayAccounts;
import org.castellan.agent.windows.jna.NativePassword;
import org.castellan.protocol.Secret;

/**
 * The selftest's disposable account: NetUserAdd as an ordinary user (USER_PRIV_USER, never in
 * Administrators) with a random initial password that is wiped at once, NetUserDel afterwards.
 * The selftest then sets its passwords through {@link WindowsAccountManager} like a rotation.
 */
public final class WindowsThrowawayAccounts implements ThrowawayAccounts {
    static final String COMMENT = "Castellan selftest (throwaway)";

    private final LocalAccounts accounts;
    private final SecureRandom random;

    public WindowsThrowawayAccounts(LocalAccounts accounts, SecureRandom random) {
        this.accounts = accounts;
        this.random = random;
    }

    @Override
    public boolean exists(String name) throws PlatformException {
        return accounts.user(AccountNames.requireValid(name)).isPresent();
    }

    @Override
    public ManagedAccount create(String name) throws PlatformException {
        String valid = AccountNames.requireValid(name);
        if (accounts.user(valid).isPresent()) {
            throw new PlatformException("account-exists", "a local account named " + valid + " already exists");
        }
        int status;
        try (Secret initial = InitialPasswords.generate(random); NativePassword password = NativePassword.copyOf(initial)) {
            status = accounts.addUser(valid, password, COMMENT);
        }
        NetApiStatus.check(status, "account-create-failed", "create throwaway account " + valid);
        LocalUser user = accounts.user(valid).orElseThrow(() -> new PlatformException("account-create-failed",
                "NetUserAdd succeeded but " + valid + " cannot be read back"));
        return new ManagedAccount(user.name(), user.sid());
    }

    @Override
    public void delete(String name) throws PlatformException {
        String valid = AccountNames.requireValid(name);
        int status = accounts.deleteUser(valid);
        if (status != NetApiStatus.NERR_USER_NOT_FOUND) {
            NetApiStatus.check(status, "account-delete-failed", "delete throwaway account " + valid);
        }
    }
}
