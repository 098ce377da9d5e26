package org.castellan.agent.spi;

/**
 * The local account whose password the agent manages.
 *
 * @param name the account name as the OS shows it now (the Windows RID-500 account may be renamed)
 * @param id a stable identifier: uid on Linux/macOS, SID on Windows
 */
public record ManagedAccount(String name, String id) {}
