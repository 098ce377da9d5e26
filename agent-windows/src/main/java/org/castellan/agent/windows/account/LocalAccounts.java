package org.castellan.agent.windows.account;

import java.util.Optional;
import java.util.OptionalLong;
import org.castellan.agent.spi.PlatformException;
import org.castellan.agent.windows.jna.NativePassword;

/**
 * The native account calls, one method per Windows API call, so that the decisions in
 * {@link WindowsAccountManager} run against a hand-written fake on Linux. Mutating calls return
 * the raw NET_API_STATUS; {@link NetApiStatus} turns it into an error.
 */
public interface LocalAccounts {
    /** NetServerGetInfo level 101: SV_TYPE_DOMAIN_CTRL or SV_TYPE_DOMAIN_BAKCTRL. */
    boolean isDomainController() throws PlatformException;

    /** LsaQueryInformationPolicy(PolicyAccountDomainInformation): the machine SID, S-1-5-21-a-b-c. */
    String accountDomainSid() throws PlatformException;

    /** LookupAccountSid; empty when no account has that SID. */
    Optional<SidAccount> lookupSid(String sid) throws PlatformException;

    /** NetUserGetInfo level 1 plus the SID; empty on NERR_UserNotFound. */
    Optional<LocalUser> user(String name) throws PlatformException;

    /** NetUserAdd level 1 (UF_SCRIPT | UF_NORMAL_ACCOUNT, USER_PRIV_USER). */
    int addUser(String name, NativePassword password, String comment);

    /** NetLocalGroupAddMembers level 0: the member is passed by SID. */
    int addLocalGroupMember(String groupName, String memberSid);

    /** NetUserSetInfo level 1008. */
    int setUserFlags(String name, int flags);

    /** NetUserSetInfo level 1003. */
    int setPassword(String name, NativePassword password);

    /**
     * LogonUser with a network logon of the local account ({@code .\name}): checks the password
     * without opening a session. Returns 0 on success, else the Win32 error (GetLastError).
     */
    int logonNetwork(String name, NativePassword password);

    /** NetUserDel: the selftest's throwaway account only. */
    int deleteUser(String name);

    /**
     * The exact password-last-set FILETIME from the SAM's {@code F} value of the user with this
     * RID; empty when the SAM is not readable (only SYSTEM may read it) or does not look right.
     */
    OptionalLong samPasswordLastSet(long rid);
}
