package org.castellan.agent.macos.jit;

import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import org.castellan.agent.macos.parse.GroupMembership;
import org.castellan.agent.macos.parse.UnexpectedOutputException;
import org.castellan.agent.macos.process.CommandException;
import org.castellan.agent.macos.process.CommandResult;
import org.castellan.agent.macos.process.CommandRunner;
import org.castellan.agent.macos.process.MacTools;
import org.castellan.agent.spi.AdminRights;
import org.castellan.agent.spi.PlatformException;

/**
 * Just-in-time admin rights on macOS: membership of the {@code admin} group through
 * {@code dseditgroup -o edit -a|-d USER -t user admin}, checked with {@code -o checkmember} before
 * (a user who already is an admin is left one) and after. macOS has no membership that ends by
 * itself: the end is the agent's (kept in its state; revoked at start, on each run and at the end).
 */
public final class MacAdminRights implements AdminRights {
    static final String GROUP = "admin";
    /** macOS short names: letters, digits, _ . -; not starting with - (no option can be smuggled in). */
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,243}");
    private final CommandRunner runner;
    private final MacTools tools;

    public MacAdminRights(CommandRunner runner, MacTools tools) {
        this.runner = runner;
        this.tools = tools;
    }

    @Override
    public boolean grant(String user, Instant notAfter) throws PlatformException {
        check(user);
        if (isMember(user)) {
            return false;
        }
        CommandResult added = run("jit-grant-failed", "add " + user + " to group admin",
                tools.dseditgroup(), "-o", "edit", "-a", user, "-t", "user", GROUP);
        if (!added.succeeded() || !isMember(user)) {
            throw new PlatformException("jit-grant-failed", "add " + user + " to group admin: dseditgroup exit "
                    + added.exitCode() + ": " + added.combinedOutput().strip());
        }
        return true;
    }

    @Override
    public void revoke(String user) throws PlatformException {
        check(user);
        CommandResult removed = run("jit-revoke-failed", "remove " + user + " from group admin",
                tools.dseditgroup(), "-o", "edit", "-d", user, "-t", "user", GROUP);
        if (isMember(user)) {
            throw new PlatformException("jit-revoke-failed", "remove " + user + " from group admin: still a member"
                    + " after dseditgroup exit " + removed.exitCode() + ": " + removed.combinedOutput().strip());
        }
    }

    private boolean isMember(String user) throws PlatformException {
        CommandResult result = run("account-lookup-failed", "check admin membership of " + user,
                tools.dseditgroup(), "-o", "checkmember", "-m", user, GROUP);
        try {
            return GroupMembership.isMember(result.exitCode(), result.combinedOutput(), user, GROUP);
        } catch (UnexpectedOutputException e) {
            throw new PlatformException("account-lookup-failed", "check admin membership of " + user + ": "
                    + e.getMessage(), e);
        }
    }

    private static void check(String user) throws PlatformException {
        if (user == null || !USER.matcher(user).matches()) {
            throw new PlatformException("unsupported-user", "'" + (user == null ? "" : user.replaceAll("\\p{Cntrl}", "?"))
                    + "' is not a macOS short user name");
        }
    }

    private CommandResult run(String code, String what, String... argv) throws PlatformException {
        try {
            return runner.run(List.of(argv));
        } catch (CommandException e) {
            throw new PlatformException(code, what + ": " + e.getMessage(), e);
        }
    }
}
