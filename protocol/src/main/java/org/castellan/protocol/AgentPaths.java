package org.castellan.protocol;

/** The agent API's paths, shared so that client and server cannot drift apart. */
public final class AgentPaths {
    private AgentPaths() {}

    public static final String PREFIX = "/api/v1/agent";
    public static final String REGISTER = PREFIX + "/register";
    public static final String CHECK_IN = PREFIX + "/check-in";
    /** POST an {@code EscrowRequest}: stores a new password as pending. */
    public static final String ROTATIONS = PREFIX + "/rotations";
    public static final String ROTATION_COMMIT = PREFIX + "/rotations/{rotationId}/commit";
    public static final String ROTATION_ABORT = PREFIX + "/rotations/{rotationId}/abort";
    /** POST a {@code RecoveryKeyEscrowRequest}. */
    public static final String RECOVERY_KEYS = PREFIX + "/recovery-keys";
    /** POST a {@code LuksKeyEscrowRequest}: stores a LUKS passphrase as pending before its slot exists. */
    public static final String LUKS_KEYS = PREFIX + "/luks-keys";
    /** POST a {@code LuksKeyRef}: the slot exists and its passphrase was verified. */
    public static final String LUKS_KEY_COMMIT = PREFIX + "/luks-keys/commit";
    /** POST a {@code LuksKeyRef}: the slot is gone (or was never added); the key moves to history. */
    public static final String LUKS_KEY_RETIRE = PREFIX + "/luks-keys/retire";

    public static String commit(String rotationId) {
        return ROTATION_COMMIT.replace("{rotationId}", rotationId);
    }

    public static String abort(String rotationId) {
        return ROTATION_ABORT.replace("{rotationId}", rotationId);
    }
}
