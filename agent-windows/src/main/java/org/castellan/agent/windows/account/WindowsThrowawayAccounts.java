package org.castellan.agent.windows.account;

import java.security.SecureRandom;
import java.util.List;
import org.castellan.agent.spi.DiagnosticCheck;
import org.castellan.agent.windows.jna.UserInfo1008;
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

    /**
     * The check before commit counts ERROR_ACCOUNT_DISABLED as proof, on the grounds that a local
     * logon looks at the password first. Here that is tried: the throwaway is disabled, and its
     * right password must get an answer that proves it while a wrong one must not.
     */
    @Override
    public List<DiagnosticCheck> checkAssumptions(ManagedAccount account, Secret current, Secret wrong) {
        String name = account.name();
        try {
            LocalUser user = accounts.user(name).orElseThrow(() -> new PlatformException("account-missing", name + " is gone"));
            NetApiStatus.check(accounts.setUserFlags(name, user.flags() | UserInfo1008.UF_ACCOUNTDISABLE),
                    "account-disable-failed", "disable throwaway account " + name);
            int right;
            int refused;
            try (NativePassword a = NativePassword.copyOf(current); NativePassword b = NativePassword.copyOf(wrong)) {
                right = accounts.logonNetwork(name, a);
                refused = accounts.logonNetwork(name, b);
            }
            boolean holds = LogonResults.interpret(right).proven() && !LogonResults.interpret(refused).proven();
            String detail = "disabled, the right password gets " + LogonResults.name(right) + " and a wrong one "
                    + LogonResults.name(refused);
            return List.of(holds ? DiagnosticCheck.ok("disabled-account-check", detail
                            + ": passwords of disabled accounts (the built-in Administrator) can be proven here")
                    : DiagnosticCheck.fail("disabled-account-check", detail + ": this machine does not tell them apart, so the"
                            + " check before commit would accept an unproven password of a disabled account; report this"));
        } catch (PlatformException e) {
            return List.of(DiagnosticCheck.fail("disabled-account-check", e.code() + ": " + e.getMessage()));
        }
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
