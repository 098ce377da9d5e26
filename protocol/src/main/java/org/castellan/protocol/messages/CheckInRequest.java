package org.castellan.protocol.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A periodic report from the device.
 *
 * @param account the account the agent manages now (after resolving the policy), or null if none
 * @param accountProblem why the account cannot be managed (missing, not an admin, ...), or null
 * @param warnings platform notes for admins, e.g. {@code needs-first-password} on macOS
 * @param cloneDetected null normally; set when the agent found that its state directory was copied
 *     from the machine this device was registered on (which identity sources differ). Such an
 *     agent reports and stops: it rotates nothing with the copied identity.
 * @param jitReports what the agent did about just-in-time grants since the last check-in
 */
public record CheckInRequest(
        String hostname,
        String osVersion,
        String agentVersion,
        String account,
        String accountProblem,
        List<String> warnings,
        // Left out when null, so an ordinary check-in of this agent stays readable by older servers.
        @JsonInclude(JsonInclude.Include.NON_NULL) String cloneDetected,
        // Left out when empty, for the same reason.
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<JitReport> jitReports) {

    public CheckInRequest {
        jitReports = jitReports == null ? List.of() : List.copyOf(jitReports);
    }

    /** An ordinary check-in with a clone report (or none) and no just-in-time reports. */
    public CheckInRequest(String hostname, String osVersion, String agentVersion, String account,
                          String accountProblem, List<String> warnings, String cloneDetected) {
        this(hostname, osVersion, agentVersion, account, accountProblem, warnings, cloneDetected, List.of());
    }

    /** An ordinary check-in (no clone report). */
    public CheckInRequest(String hostname, String osVersion, String agentVersion, String account,
                          String accountProblem, List<String> warnings) {
        this(hostname, osVersion, agentVersion, account, accountProblem, warnings, null, List.of());
    }
}
