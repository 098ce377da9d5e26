package org.castellan.agent.jit;

import java.time.Instant;

/**
 * A just-in-time grant this device holds, as kept in {@code jit-grants.json}.
 *
 * @param owned false when the user already was an administrator by other means: the end of the
 *     grant then leaves the user as they were
 */
public record HeldGrant(String id, String user, Instant notAfter, Instant grantedAt, boolean owned) {}
