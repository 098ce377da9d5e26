package org.castellan.agent.windows.account;

/**
 * A local user as NetUserGetInfo level 1 and LookupAccountName report it.
 *
 * @param name account name
 * @param sid string SID (S-1-5-21-…-RID)
 * @param flags UF_* flags
 * @param privilege USER_PRIV_GUEST/USER/ADMIN (ADMIN means member of Administrators)
 * @param passwordAgeSeconds seconds since the password was last set
 */
public record LocalUser(String name, String sid, int flags, int privilege, long passwordAgeSeconds) {}
