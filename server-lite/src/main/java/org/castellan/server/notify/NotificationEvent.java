package org.castellan.server.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;
import org.castellan.protocol.Json;

/**
 * Something a security team wants to hear about, e.g. {@code password.revealed}.
 *
 * <p>Deliberately has no field that could hold a secret: it says who did what to which device,
 * why, and under which rules, never the password or key itself. {@code id} is unique per event
 * and sent as {@code X-Castellan-Event-Id}, so receivers can drop the duplicates at-least-once
 * delivery may produce.
 *
 * @param reason the reason the principal gave, or null
 */
public record NotificationEvent(String id, String type, Instant occurredAt, String deviceId,
                                String deviceHostname, String principal, String reason, List<String> ruleIds) {
    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9-]{0,40}(\\.[a-z][a-z0-9-]{0,40}){1,3}");
    static final int MAX_REASON = 2000;

    public static final String PASSWORD_REVEALED = "password.revealed";
    public static final String PASSWORD_HISTORY_READ = "password.history-read";
    public static final String RECOVERY_KEY_REVEALED = "recovery-key.revealed";
    public static final String REVEAL_DENIED = "reveal.denied";
    public static final String ROTATION_REQUESTED = "device.rotation-requested";
    /** Just-in-time admin rights: requested, approved, revoked (by a person); granted, expired, failed (the agent). */
    public static final String JIT_REQUESTED = "jit.requested";
    public static final String JIT_APPROVED = "jit.approved";
    public static final String JIT_REVOKED = "jit.revoked";

    /** The event for a just-in-time audit action ({@code jit.request} → {@code jit.requested}, ...). */
    public static String jitEvent(String action) {
        return switch (action) {
            case "jit.request" -> JIT_REQUESTED;
            case "jit.approve" -> JIT_APPROVED;
            case "jit.revoke" -> JIT_REVOKED;
            default -> action.endsWith("ed") ? action : null;
        };
    }

    public NotificationEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(occurredAt, "occurredAt");
        if (type == null || !TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException("notification type must look like password.revealed");
        }
        if (reason != null && reason.length() > MAX_REASON) {
            throw new IllegalArgumentException("notification reason is longer than " + MAX_REASON + " characters");
        }
        ruleIds = ruleIds == null ? List.of() : List.copyOf(ruleIds);
        // Millisecond precision, so the JSON is identical however often it is re-read and written.
        occurredAt = occurredAt.truncatedTo(ChronoUnit.MILLIS);
    }

    /** A new event with a random id. */
    public static NotificationEvent of(String type, Instant occurredAt, String deviceId, String deviceHostname,
                                       String principal, String reason, List<String> ruleIds) {
        return new NotificationEvent(UUID.randomUUID().toString(), type, occurredAt, deviceId, deviceHostname,
                principal, reason, ruleIds);
    }

    /** The JSON body POSTed to webhooks (ISO-8601 timestamps). */
    public String toJson() {
        try {
            return Json.mapper().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("serialize notification event " + id, e);
        }
    }

    public static NotificationEvent fromJson(String json) {
        try {
            return Json.mapper().readValue(json, NotificationEvent.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a notification event: " + e.getOriginalMessage(), e);
        }
    }
}
