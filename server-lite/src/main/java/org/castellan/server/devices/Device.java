package org.castellan.server.devices;

import java.time.Instant;
import java.util.List;

/** A registered device as stored. */
public record Device(String id, String hostname, String os, String osVersion, String agentVersion,
                     String publicKey, String account, String accountProblem, List<String> warnings,
                     Instant registeredAt, Instant lastSeenAt, Instant rotateRequestedAt, Instant disabledAt,
                     Instant approvedAt) {
    public static final String ACTIVE = "active";
    public static final String PENDING_APPROVAL = "pending-approval";
    public static final String DISABLED = "disabled";

    /** {@code disabled} wins over {@code pending-approval}. */
    public String status() {
        if (disabledAt != null) {
            return DISABLED;
        }
        return approvedAt == null ? PENDING_APPROVAL : ACTIVE;
    }

    public org.castellan.server.access.DeviceFacts facts() {
        return new org.castellan.server.access.DeviceFacts(id, hostname, os, disabledAt != null, approvedAt != null);
    }
}
