package org.castellan.server.access;

import java.util.Arrays;
import java.util.stream.Collectors;

/** What a rule may grant. {@link #wireName()} is the spelling used in the API and database. */
public enum Permission {
    PASSWORD_READ("password.read", true, true),
    PASSWORD_HISTORY("password.history", true, true),
    RECOVERY_KEY_READ("recovery-key.read", true, true),
    DEVICE_ROTATE("device.rotate", false, false),
    DEVICE_MANAGE("device.manage", false, false),
    /** Just-in-time admin rights on the device: request, approve, revoke. */
    DEVICE_JIT("device.jit", false, true);

    private static final String KNOWN = Arrays.stream(values())
            .map(Permission::wireName).collect(Collectors.joining(", "));

    private final String wireName;
    private final boolean revealsSecret;
    private final boolean guardedLikeASecret;

    Permission(String wireName, boolean revealsSecret, boolean guardedLikeASecret) {
        this.wireName = wireName;
        this.revealsSecret = revealsSecret;
        this.guardedLikeASecret = guardedLikeASecret;
    }

    /**
     * True for the secret permissions and for {@code device.jit}: refused on a disabled or
     * unapproved device, and a rule's {@code requireReason} applies to them.
     */
    public boolean guardedLikeASecret() {
        return guardedLikeASecret;
    }

    public String wireName() {
        return wireName;
    }

    /** True for permissions that hand out a secret; those are withheld from disabled/unapproved devices. */
    public boolean revealsSecret() {
        return revealsSecret;
    }

    public static Permission fromWire(String name) {
        if (name != null) {
            for (Permission p : values()) {
                if (p.wireName.equals(name)) {
                    return p;
                }
            }
        }
        throw new IllegalArgumentException("unknown permission " + Refs.quoteShort(name) + "; expected one of " + KNOWN);
    }

    @Override
    public String toString() {
        return wireName;
    }
}
