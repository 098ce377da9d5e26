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
    public static final String USER_CREATE = "user.create";
    public static final String USER_DISABLE = "user.disable";
    public static final String USER_ENABLE = "user.enable";
    public static final String TOKEN_CREATE = "token.create";
    public static final String TOKEN_REVOKE = "token.revoke";
    public static final String SESSION_CREATE = "session.create";
    public static final String SESSION_END = "session.end";
    /** A console session showed its second factor again (step-up before a reveal a rule guards). */
    public static final String SESSION_STEP_UP = "session.step-up";
    /** An admin reset a user's TOTP second factor (the next sign-in enrols again). */
    public static final String USER_TOTP_RESET = "user.totp-reset";
    public static final String USER_GROUP_CREATE = "user-group.create";
    public static final String USER_GROUP_UPDATE = "user-group.update";
    public static final String USER_GROUP_DELETE = "user-group.delete";
    public static final String DEVICE_GROUP_CREATE = "device-group.create";
    public static final String DEVICE_GROUP_UPDATE = "device-group.update";
    public static final String DEVICE_GROUP_DELETE = "device-group.delete";
    public static final String RULE_CREATE = "rule.create";
    public static final String RULE_DELETE = "rule.delete";
    public static final String CHANNEL_CREATE = "channel.create";
    public static final String CHANNEL_DELETE = "channel.delete";
    public static final String DEVICE_APPROVE = "device.approve";
    public static final String DEVICE_DISABLE = "device.disable";
    public static final String DEVICE_ENABLE = "device.enable";
    public static final String DEVICE_DELETE = "device.delete";
    /** A non-admin's look-up by host name that found nothing they may see (outcome denied). */
    public static final String DEVICE_LOOKUP = "device.lookup";
    public static final String HISTORY_PURGE = "history.purge";
    /** A deleted device's secrets and row removed: by the retention job ({@code system}) or an admin, with a reason. */
    public static final String DEVICE_PURGE = "device.purge";
    /** Recovery keys of removed volumes deleted: by the retention job or an admin, with a reason. */
    public static final String RECOVERY_KEY_PURGE = "recovery-key.purge";
    public static final String RECOVERY_KEY_ESCROW = "recovery-key.escrow";
    public static final String RECOVERY_KEY_REVEAL = "recovery-key.reveal";
    /** Just-in-time admin rights, by people (permission device.jit). */
    public static final String JIT_REQUEST = "jit.request";
    public static final String JIT_APPROVE = "jit.approve";
    public static final String JIT_REVOKE = "jit.revoke";
    /** Just-in-time admin rights, as the agent reports them: given, removed early, removed at expiry, failed. */
    public static final String JIT_GRANTED = "jit.granted";
    public static final String JIT_REMOVED = "jit.removed";
    public static final String JIT_EXPIRED = "jit.expired";
    public static final String JIT_FAILED = "jit.failed";
    public static final String LUKS_KEY_ESCROW = "luks-key.escrow";
    public static final String LUKS_KEY_COMMIT = "luks-key.commit";
    public static final String LUKS_KEY_RETIRE = "luks-key.retire";
    /** castellan-server backup wrote a backup file (queued by the tool, chained by the server). */
    public static final String BACKUP_CREATE = "backup.create";
    /** castellan-server restore put a backup into a new data directory (the restored log's first new entry). */
    public static final String SERVER_RESTORED = "server.restored";
    /** castellan-server vault shares printed k-of-n recovery shares of the vault keys. */
    public static final String VAULT_SHARES_SPLIT = "vault.shares-split";
    /** castellan-server vault recover rebuilt the vault keys from shares. */
    public static final String VAULT_RECOVER = "vault.recover";
    /** An agent found its state directory copied to another machine and reported it. */
    public static final String DEVICE_CLONE_REPORTED = "device.clone-reported";
}
