package org.castellan.server.audit;

/**
 * One thing that happened, as the audit log records it. Never a secret: reasons and details are
 * free text from admins and agents, checked for control characters before they get here.
 *
 * @param principal who acted: {@code user:ID}, {@code device:ID}, {@code anonymous}, {@code registration-key:ID}
 * @param outcome {@code ok}, {@code granted}, {@code denied}, {@code refused}, ...
 */
public record AuditEvent(String principal, String action, String outcome, String deviceId,
                         String reason, String clientAddress, String detail) {

    public static AuditEvent of(String principal, String action, String outcome, String deviceId,
                                String clientAddress) {
        return new AuditEvent(principal, action, outcome, deviceId, null, clientAddress, null);
    }

    public AuditEvent withReason(String newReason) {
        return new AuditEvent(principal, action, outcome, deviceId, newReason, clientAddress, detail);
    }

    public AuditEvent withDetail(String newDetail) {
        return new AuditEvent(principal, action, outcome, deviceId, reason, clientAddress, newDetail);
    }
}
