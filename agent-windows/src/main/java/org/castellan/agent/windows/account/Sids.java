package org.castellan.agent.windows.account;

/** Small facts about string SIDs. */
public final class Sids {
    public static final String LOCAL_SYSTEM = "S-1-5-18";
    public static final String BUILTIN_ADMINISTRATORS = "S-1-5-32-544";
    public static final long ADMINISTRATOR_RID = 500;

    private Sids() {}

    /** The built-in Administrator: the account domain SID plus RID 500, whatever its name. */
    public static String builtinAdministrator(String accountDomainSid) {
        return accountDomainSid + "-" + ADMINISTRATOR_RID;
    }

    /** The last sub-authority (the RID) of a SID such as S-1-5-21-1-2-3-1001. */
    public static long rid(String sid) {
        int dash = sid.lastIndexOf('-');
        if (dash < 0 || !sid.startsWith("S-")) {
            throw new IllegalArgumentException("not a SID: " + sid);
        }
        return Long.parseLong(sid.substring(dash + 1));
    }

    /** Whether the SID is an account directly in that domain (domain SID plus one RID). */
    public static boolean isInDomain(String sid, String domainSid) {
        String prefix = domainSid + "-";
        return sid.regionMatches(true, 0, prefix, 0, prefix.length())
                && sid.indexOf('-', prefix.length()) < 0
                && sid.length() > prefix.length();
    }
}
