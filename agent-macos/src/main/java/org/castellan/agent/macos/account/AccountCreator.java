package org.castellan.agent.macos.account;

import java.util.HashSet;
import java.util.Set;
import org.castellan.agent.macos.parse.UnexpectedOutputException;
import org.castellan.agent.macos.parse.UserIdList;
import org.castellan.agent.macos.process.CommandResult;
import org.castellan.agent.spi.PlatformException;

/**
 * Creates the managed account when the policy names one that does not exist: a hidden admin with
 * no password yet (the first rotation sets it) and no SecureToken (only a token holder can grant
 * one, and the agent is not one).
 */
final class AccountCreator {
    /** Ids below 500 keep the account off the login window; 400-499 stays clear of system daemons. */
    static final int HIGHEST_HIDDEN_UID = 499;
    static final int LOWEST_HIDDEN_UID = 400;
    private static final String STAFF_GID = "20";

    private final MacTool tool;

    AccountCreator(MacTool tool) {
        this.tool = tool;
    }

    void create(String name) throws PlatformException {
        createRecord(name, "/bin/zsh");
        addToAdmin(name, "account-create-failed", "created account " + name + " but could not add it to admin");
    }

    /** A hidden standard user that cannot log in (the selftest's throwaway: never in admin). */
    void createStandard(String name) throws PlatformException {
        createRecord(name, "/usr/bin/false");
    }

    private void createRecord(String name, String shell) throws PlatformException {
        String uid = Integer.toString(freeHiddenUid());
        String record = "/Users/" + name;
        try (DsclScript script = new DsclScript()) {
            script.command("create", record)
                    .command("create", record, "UniqueID", uid)
                    .command("create", record, "PrimaryGroupID", STAFF_GID)
                    .command("create", record, "UserShell", shell)
                    .command("create", record, "RealName", name)
                    .command("create", record, "NFSHomeDirectory", record)
                    .command("create", record, "IsHidden", "1");
            tool.dsclSession("account-create-failed", "create account " + name + " (uid " + uid
                    + "; the record may be half-made, check it with dscl . -read " + record + ")", script);
        }
    }

    /** {@code dseditgroup -o edit -a NAME -t user admin}; also used for an existing account (ensureAdmin). */
    void addToAdmin(String name, String code, String context) throws PlatformException {
        CommandResult added = tool.run(code, "add " + name + " to admin",
                tool.paths().dseditgroup(), "-o", "edit", "-a", name, "-t", "user", "admin");
        if (!added.succeeded()) {
            throw new PlatformException(code, context + ": dseditgroup exit " + added.exitCode() + ": "
                    + added.combinedOutput().strip());
        }
    }

    private int freeHiddenUid() throws PlatformException {
        CommandResult list = tool.run("account-create-failed", "list user ids",
                tool.paths().dscl(), ".", "-list", "/Users", "UniqueID");
        if (!list.succeeded()) {
            throw new PlatformException("account-create-failed", "list user ids: dscl exit " + list.exitCode());
        }
        Set<Long> taken;
        try {
            taken = new HashSet<>(UserIdList.parse(list.stdout()).values());
        } catch (UnexpectedOutputException e) {
            throw new PlatformException("account-create-failed", "list user ids: " + e.getMessage(), e);
        }
        for (int uid = HIGHEST_HIDDEN_UID; uid >= LOWEST_HIDDEN_UID; uid--) {
            if (!taken.contains((long) uid)) {
                return uid;
            }
        }
        throw new PlatformException("account-create-failed", "no free user id between "
                + LOWEST_HIDDEN_UID + " and " + HIGHEST_HIDDEN_UID + " for a hidden account");
    }
}
