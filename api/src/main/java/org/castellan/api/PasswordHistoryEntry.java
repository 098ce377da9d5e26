package org.castellan.api;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;
import org.castellan.protocol.Secret;

/**
 * One entry of {@code GET /api/v1/devices/{id}/password/history}, newest escrow first;
 * {@code state} is {@code pending|committed|superseded|aborted}, {@code password} null when aborted.
 */
public record PasswordHistoryEntry(String rotationId, String account, String state, Instant escrowedAt,
                                   Instant committedAt, Instant abortedAt, Instant expiresAt,
                                   @JsonSerialize(using = SecretJson.Writer.class)
                                   @JsonDeserialize(using = SecretJson.Reader.class) Secret password) {
    public void wipe() {
        SecretJson.wipe(password);
    }
}
