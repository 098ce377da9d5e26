package org.castellan.server.audit;

/** The audit log's action names (stable: people write queries against them). */
public final class AuditActions {
    private AuditActions() {}

    public static final String DEVICE_REGISTER = "device.register";
    public static final String ROTATION_ESCROW = "rotation.escrow";
    public static final String ROTATION_COMMIT = "rotation.commit";
    public static final String ROTATION_ABORT = "rotation.abort";
    public static final String PASSWORD_REVEAL = "password.reveal";
    public static final String PASSWORD_HISTORY = "password.history";
    public static final String DEVICE_ROTATE_REQUEST = "device.rotate-request";
    public static final String POLICY_UPDATE = "policy.update";
    public static final String REGISTRATION_KEY_CREATE = "registration-key.create";
    public static final String REGISTRATION_KEY_REVOKE = "registration-key.revoke";
}
