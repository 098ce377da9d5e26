package org.castellan.agent.windows.account;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.castellan.agent.spi.PlatformException;
import org.castellan.agent.windows.jna.NativePassword;
import org.castellan.agent.windows.jna.UserInfo1;
import org.castellan.agent.windows.jna.UserInfo1008;

/** An in-memory SAM: users by name, SIDs, the localized Administrators group, scripted failures. */
final class FakeLocalAccounts implements LocalAccounts {
    static final String DOMAIN_SID = "S-1-5-21-1111111111-2222222222-3333333333";
    static final String ADMINISTRATORS_NAME = "Administrateurs";

    final Map<String, LocalUser> users = new LinkedHashMap<>();
    final List<String> calls = new ArrayList<>();
    final List<NativePassword> passwordsSeen = new ArrayList<>();
    final List<String> passwordsSetTo = new ArrayList<>();
    boolean domainController;
    int setPasswordStatus;
    int addUserStatus;
    int addMemberStatus;
    OptionalLong samFiletime = OptionalLong.empty();
    /** What each account's password is now, as Windows would check it (lower-case name → password). */
    final Map<String, String> passwords = new LinkedHashMap<>();
    /** The Win32 error a logon with the RIGHT password gets (0, or 1385 on hardened baselines). */
    int logonErrorWhenRight;
    int deleteStatus;
    /** A broken Windows that reports a disabled account before looking at the password. */
    boolean disabledBeforePassword;
    /** A successful set makes the password two minutes younger, so the age: marker moves (as on Windows). */
    boolean markerMovesOnSet;
    private long nextRid = 1001;

    FakeLocalAccounts withUser(String name, long rid, int flags, int privilege) {
        users.put(name.toLowerCase(), new LocalUser(name, DOMAIN_SID + "-" + rid, flags, privilege, 1000));
        return this;
    }

    @Override
    public boolean isDomainController() {
        calls.add("NetServerGetInfo");
        return domainController;
    }

    @Override
    public String accountDomainSid() {
        return DOMAIN_SID;
    }

    @Override
    public Optional<SidAccount> lookupSid(String sid) {
        calls.add("LookupAccountSid " + sid);
        if (sid.equals(Sids.BUILTIN_ADMINISTRATORS)) {
            return Optional.of(new SidAccount(ADMINISTRATORS_NAME, "BUILTIN", sid));
        }
        return users.values().stream().filter(u -> u.sid().equals(sid)).findFirst()
                .map(u -> new SidAccount(u.name(), "PC1", sid));
    }

    @Override
    public Optional<LocalUser> user(String name) throws PlatformException {
        return Optional.ofNullable(users.get(name.toLowerCase()));
    }

    @Override
    public int addUser(String name, NativePassword password, String comment) {
        calls.add("NetUserAdd " + name);
        passwordsSeen.add(password);
        if (addUserStatus == 0) {
            passwords.put(name.toLowerCase(), read(password));
            withUser(name, nextRid++, UserInfo1008.UF_SCRIPT | UserInfo1008.UF_NORMAL_ACCOUNT, UserInfo1.USER_PRIV_USER);
        }
        return addUserStatus;
    }

    @Override
    public int addLocalGroupMember(String groupName, String memberSid) {
        calls.add("NetLocalGroupAddMembers " + groupName + " " + memberSid);
        // ERROR_MEMBER_IN_ALIAS: already a member (e.g. added by someone else meanwhile).
        if ((addMemberStatus == 0 || addMemberStatus == NetApiStatus.ERROR_MEMBER_IN_ALIAS)
                && groupName.equals(ADMINISTRATORS_NAME)) {
            users.replaceAll((k, u) -> u.sid().equals(memberSid)
                    ? new LocalUser(u.name(), u.sid(), u.flags(), UserInfo1.USER_PRIV_ADMIN, u.passwordAgeSeconds()) : u);
        }
        return addMemberStatus;
    }

    @Override
    public int setUserFlags(String name, int flags) {
        calls.add("NetUserSetInfo 1008 " + name + " " + Integer.toHexString(flags));
        users.computeIfPresent(name.toLowerCase(),
                (k, u) -> new LocalUser(u.name(), u.sid(), flags, u.privilege(), u.passwordAgeSeconds()));
        return 0;
    }

    @Override
    public int setPassword(String name, NativePassword password) {
        calls.add("NetUserSetInfo 1003 " + name);
        passwordsSeen.add(password);
        // Read what Windows would read: UTF-16LE up to the NUL.
        StringBuilder value = new StringBuilder();
        for (long i = 0; ; i += 2) {
            char c = (char) password.pointer().getShort(i);
            if (c == 0) {
                break;
            }
            value.append(c);
        }
        passwordsSetTo.add(value.toString());
        if (setPasswordStatus == 0) {
            passwords.put(name.toLowerCase(), value.toString());
            if (markerMovesOnSet) {
                users.computeIfPresent(name.toLowerCase(), (k, u) -> new LocalUser(u.name(), u.sid(), u.flags(),
                        u.privilege(), u.passwordAgeSeconds() - 120));
            }
        }
        return setPasswordStatus;
    }

    @Override
    public int logonNetwork(String name, NativePassword password) {
        calls.add("LogonUser network " + name);
        passwordsSeen.add(password);
        String stored = passwords.get(name.toLowerCase());
        LocalUser user = users.get(name.toLowerCase());
        boolean disabled = user != null && (user.flags() & UserInfo1008.UF_ACCOUNTDISABLE) != 0;
        if (disabled && disabledBeforePassword) {
            return LogonResults.ERROR_ACCOUNT_DISABLED;
        }
        if (stored == null || !stored.equals(read(password))) {
            return LogonResults.ERROR_LOGON_FAILURE;
        }
        // MSV1_0: the account's state is reported only once the password matched.
        return disabled ? LogonResults.ERROR_ACCOUNT_DISABLED : logonErrorWhenRight;
    }

    @Override
    public int deleteUser(String name) {
        calls.add("NetUserDel " + name);
        if (deleteStatus != 0) {
            return deleteStatus;
        }
        passwords.remove(name.toLowerCase());
        return users.remove(name.toLowerCase()) == null ? NetApiStatus.NERR_USER_NOT_FOUND : 0;
    }

    private static String read(NativePassword password) {
        StringBuilder value = new StringBuilder();
        for (long i = 0; ; i += 2) {
            char c = (char) password.pointer().getShort(i);
            if (c == 0) {
                return value.toString();
            }
            value.append(c);
        }
    }

    @Override
    public OptionalLong samPasswordLastSet(long rid) {
        return samFiletime;
    }
}
