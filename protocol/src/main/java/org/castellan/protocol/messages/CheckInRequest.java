package org.castellan.protocol.messages;

import java.util.List;

/**
 * A periodic report from the device.
 *
 * @param account the account the agent manages now (after resolving the policy), or null if none
 * @param accountProblem why the account cannot be managed (missing, not an admin, ...), or null
 * @param warnings platform notes for admins, e.g. {@code needs-first-password} on macOS
 */
public record CheckInRequest(
        String hostname,
        String osVersion,
        String agentVersion,
        String account,
        String accountProblem,
        List<String> warnings) {}
