package org.castellan.agent.windows.account;

/** What LookupAccountSid answers: the current (possibly renamed, localized) name and its domain. */
public record SidAccount(String name, String domain, String sid) {}
