package org.castellan.agent.config;

/** The environment variables the agent reads; each stands for a flag. */
public final class EnvVars {
    private EnvVars() {}

    /** {@code --server}. */
    public static final String SERVER = "CASTELLAN_SERVER";
    /** {@code --server-fingerprint}. */
    public static final String SERVER_FINGERPRINT = "CASTELLAN_SERVER_FINGERPRINT";
    /** {@code --state-dir}. */
    public static final String STATE_DIR = "CASTELLAN_STATE_DIR";
    /** {@code --registration-key} (the safe way to pass it: not visible in the process list). */
    public static final String REGISTRATION_KEY = "CASTELLAN_REGISTRATION_KEY";
    /** {@code --registration-key-file}. */
    public static final String REGISTRATION_KEY_FILE = "CASTELLAN_REGISTRATION_KEY_FILE";
}
