package org.castellan.api;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;
import java.util.List;
import org.castellan.protocol.Secret;

/**
 * {@code GET /api/v1/devices/{id}/password}: the current (latest committed) password, and every
 * pending one, since the agent may have set a pending password before it could commit. With
 * pending passwords only, {@code password}, {@code rotationId}, {@code rotatedAt} and
 * {@code expiresAt} are null and {@code account} is the newest pending one's.
 */
public record PasswordReveal(String deviceId, String hostname, String account,
                             @JsonSerialize(using = SecretJson.Writer.class)
                             @JsonDeserialize(using = SecretJson.Reader.class) Secret password,
                             String rotationId, Instant rotatedAt, Instant expiresAt, List<Pending> pending) {

    /** A password escrowed by the device but not yet confirmed set: it may be the one in use. */
    public record Pending(String rotationId, String account,
                          @JsonSerialize(using = SecretJson.Writer.class)
                          @JsonDeserialize(using = SecretJson.Reader.class) Secret password,
                          Instant escrowedAt, String note) {}

    public List<Pending> pendingOrEmpty() {
        return pending == null ? List.of() : pending;
    }

    /** Wipes every password in it. */
    public void wipe() {
        SecretJson.wipe(password);
        pendingOrEmpty().forEach(p -> SecretJson.wipe(p.password()));
    }
}
