package org.castellan.server.devices;

import java.time.Instant;
import java.util.List;

/**
 * A registered device as stored. {@code deletedAt} set: a tombstone, kept (out of the lists, its
 * agent refused) so its secrets stay revealable until they are purged.
 */
public record Device(String id, String hostname, String os, String osVersion, String agentVersion,
                     String publicKey, String account, String accountProblem, List<String> warnings,
                     Instant registeredAt, Instant lastSeenAt, Instant rotateRequestedAt, Instant disabledAt,
                     Instant approvedAt, Instant deletedAt) {
    public static final String ACTIVE = "active";
    public static final String PENDING_APPROVAL = "pending-approval";
    public static final String DISABLED = "disabled";
    public static final String DELETED = "deleted";

    /** {@code deleted} wins over {@code disabled}, which wins over {@code pending-approval}. */
    public String status() {
        if (deletedAt != null) {
            return DELETED;
        }
        if (disabledAt != null) {
            return DISABLED;
        }
        return approvedAt == null ? PENDING_APPROVAL : ACTIVE;
    }

    public boolean deleted() {
        return deletedAt != null;
    }

    public org.castellan.server.access.DeviceFacts facts() {
        return new org.castellan.server.access.DeviceFacts(id, hostname, os, disabledAt != null, approvedAt != null);
    }
}
