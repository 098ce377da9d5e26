package org.castellan.agent.macos.account;

import java.util.Optional;
import org.castellan.agent.macos.process.CommandRunner;
import org.castellan.agent.macos.process.MacTools;
import org.castellan.agent.spi.ManagedAccount;
import org.castellan.agent.spi.PlatformException;
import org.castellan.agent.spi.ThrowawayAccounts;

/**
 * The selftest's disposable account: a hidden standard user (no admin, no SecureToken, shell
 * {@code /usr/bin/false}, no home directory made) created with {@code dscl}, deleted with
 * {@code dscl . -delete}. Its passwords are then set through {@link MacAccountManager}.
 */
public final class MacThrowawayAccounts implements ThrowawayAccounts {
    private final MacTool tool;
    private final AccountLookup lookup;
    private final CurrentPasswordStore store;

    /**
     * @param store where {@link MacAccountManager} keeps the current password of the accounts it
     *     set: the throwaway's copy is removed with the account
     */
    public MacThrowawayAccounts(CommandRunner runner, MacTools tools, CurrentPasswordStore store) {
        this.tool = new MacTool(runner, tools);
        this.lookup = new AccountLookup(tool);
        this.store = store;
    }

    @Override
    public boolean exists(String name) throws PlatformException {
        return lookup.uniqueId(valid(name)).isPresent();
    }

    @Override
    public ManagedAccount create(String name) throws PlatformException {
        String valid = valid(name);
        if (lookup.uniqueId(valid).isPresent()) {
            throw new PlatformException("account-exists", "a local account named " + valid + " already exists");
        }
        new AccountCreator(tool).createStandard(valid);
        Optional<String> uid = lookup.uniqueId(valid);
        return new ManagedAccount(valid, uid.orElseThrow(() -> new PlatformException("account-create-failed",
                "created " + valid + " but cannot read it back")));
    }

    @Override
    public void delete(String name) throws PlatformException {
        String valid = valid(name);
        if (lookup.uniqueId(valid).isPresent()) {
            try (DsclScript script = new DsclScript()) {
                script.command("delete", "/Users/" + valid);
                tool.dsclSession("account-delete-failed", "delete throwaway account " + valid, script);
            }
        }
        store.delete(valid);
        store.deletePending(valid);
    }

    private static String valid(String name) throws PlatformException {
        if (!AccountNames.isValid(name)) {
            throw new PlatformException("account-unsupported", "'" + name + "' is not a usable macOS account name");
        }
        return name;
    }
}
