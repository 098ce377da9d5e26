package org.castellan.cli.commands;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.castellan.protocol.Secret;

/**
 * {@code GET /devices/{id}/password}: the committed password (null when the device has only
 * pending ones) and the pending rotations the device may or may not have applied yet.
 */
record PasswordReveal(String deviceId, String hostname, String account, Secret password, String rotationId,
        String rotatedAt, String expiresAt, List<Pending> pending) {

    /** A password escrowed by the device but not yet confirmed set: it may be the one in use. */
    record Pending(String rotationId, String account, Secret password, String escrowedAt, String note) {}

    List<Pending> pendingOrEmpty() {
        return pending == null ? List.of() : pending;
    }

    /** The most recently escrowed pending password: the one a device that crashed mid-rotation most likely set. */
    Optional<Pending> newestPending() {
        return pendingOrEmpty().stream().filter(p -> p.password() != null)
                .max(Comparator.comparing(p -> instantOrEpoch(p.escrowedAt())));
    }

    void wipe() {
        if (password != null) {
            password.close();
        }
        pendingOrEmpty().forEach(p -> {
            if (p.password() != null) {
                p.password().close();
            }
        });
    }

    private static Instant instantOrEpoch(String timestamp) {
        if (timestamp == null) {
            return Instant.EPOCH;
        }
        try {
            return OffsetDateTime.parse(timestamp).toInstant();
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }
}
