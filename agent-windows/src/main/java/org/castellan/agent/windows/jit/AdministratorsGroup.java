package org.castellan.agent.windows.jit;

import java.util.Optional;
import org.castellan.agent.spi.PlatformException;

/**
 * The native calls behind just-in-time admin rights on Windows, one method per API call, so that
 * {@link WindowsAdminRights} runs against a hand-written fake on Linux. Mutating calls return the
 * raw NET_API_STATUS.
 */
public interface AdministratorsGroup {
    /** LookupAccountSid(S-1-5-32-544): the group's name in this Windows' language ("Administrators", "Administratoren"). */
    String name() throws PlatformException;

    /** LookupAccountName: the SID of a local ({@code name}, {@code PC\name}) or domain ({@code DOMAIN\name}, UPN) account. */
    Optional<String> sidOf(String account) throws PlatformException;

    /** NetLocalGroupAddMembers level 0 (the member by SID). */
    int addMember(String group, String memberSid);

    /** NetLocalGroupDelMembers level 0 (the member by SID). */
    int deleteMember(String group, String memberSid);
}
