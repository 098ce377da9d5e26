package org.castellan.agent.windows.jit;

import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;
import org.castellan.agent.spi.AdminRights;
import org.castellan.agent.spi.PlatformException;
import org.castellan.agent.windows.account.NetApiStatus;

/**
 * Just-in-time admin rights on Windows: membership of the Administrators group, found by its SID
 * (S-1-5-32-544) so a localized name does not matter, the user passed by SID. Windows has no
 * membership that ends by itself: the end is the agent's (its state keeps it; it revokes at start,
 * on each run and at the end). A user who already was a member is reported as such and left one.
 */
public final class WindowsAdminRights implements AdminRights {
    /** {@code name}, {@code DOMAIN\name} or {@code name@domain}; none of the characters Windows forbids in account names. */
    private static final Pattern ACCOUNT = Pattern.compile("[^\"/\\[\\]:|<>+=;,?*\\\\@\\p{Cntrl}]{1,104}"
            + "([\\\\@][^\"/\\[\\]:|<>+=;,?*\\\\@\\p{Cntrl}]{1,255})?");
    private final AdministratorsGroup group;

    public WindowsAdminRights(AdministratorsGroup group) {
        this.group = group;
    }

    @Override
    public boolean grant(String user, Instant notAfter) throws PlatformException {
        String sid = sid(user).orElseThrow(() -> new PlatformException("account-missing",
                "no account named " + user + " on this machine or its domain"));
        String name = group.name();
        int status = group.addMember(name, sid);
        if (status == NetApiStatus.ERROR_MEMBER_IN_ALIAS) {
            return false;
        }
        NetApiStatus.check(status, "jit-grant-failed", "add " + user + " to local group " + name);
        return true;
    }

    @Override
    public void revoke(String user) throws PlatformException {
        Optional<String> sid = sid(user);
        if (sid.isEmpty()) {
            return; // The account is gone, and its membership with it.
        }
        String name = group.name();
        int status = group.deleteMember(name, sid.get());
        if (status == NetApiStatus.ERROR_MEMBER_NOT_IN_ALIAS) {
            return;
        }
        NetApiStatus.check(status, "jit-revoke-failed", "remove " + user + " from local group " + name);
    }

    private Optional<String> sid(String user) throws PlatformException {
        if (user == null || !ACCOUNT.matcher(user).matches()) {
            throw new PlatformException("unsupported-user", "'" + (user == null ? "" : user.replaceAll("\\p{Cntrl}", "?"))
                    + "' is not a Windows account name (name, DOMAIN\\name or name@domain)");
        }
        return group.sidOf(user);
    }
}
