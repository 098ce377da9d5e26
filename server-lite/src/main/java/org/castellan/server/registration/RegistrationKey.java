package org.castellan.server.registration;

import java.time.Instant;

/** A registration key as stored (its secret only as a hash, never here). */
public record RegistrationKey(String id, String name, Integer maxUses, int uses, Instant expiresAt,
                              String group, Instant createdAt, Instant revokedAt, boolean requireApproval,
                              java.util.List<String> groups) {

    /** Why this key cannot register a device now, as the agent protocol's error code; null if it can. */
    public String refusal(Instant now) {
        if (revokedAt != null) {
            return "registration-key-revoked";
        }
        if (expiresAt != null && !now.isBefore(expiresAt)) {
            return "registration-key-expired";
        }
        if (maxUses != null && uses >= maxUses) {
            return "registration-key-used-up";
        }
        return null;
    }
}
