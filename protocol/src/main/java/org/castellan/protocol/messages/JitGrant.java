package org.castellan.protocol.messages;

import java.time.Instant;

/**
 * A just-in-time admin right the server wants the device to hold now: {@code user} is a local
 * administrator (Linux: may run anything through sudo) until {@code notAfter}. The server lists
 * every grant the device should hold at each check-in; one it no longer lists has been revoked.
 *
 * @param id the grant's id, echoed in {@link JitReport}
 * @param user the local or directory user name, as the requester typed it
 * @param notAfter the instant the right ends; the agent removes it then on its own, and on Linux
 *     sudo itself refuses after it ({@code NOTAFTER=})
 */
public record JitGrant(String id, String user, Instant notAfter) {}
