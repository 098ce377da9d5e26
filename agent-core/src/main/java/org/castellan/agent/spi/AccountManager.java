package org.castellan.agent.spi;

import java.util.List;
import org.castellan.protocol.Secret;

/** Finds the managed account and sets its password. */
public interface AccountManager {
    /**
     * Resolves the account named by policy.
     *
     * @param policyAccount the policy's account name; empty or null means the platform default
     *     (Windows: the RID-500 administrator; Linux: {@code root}; macOS may have none and throw)
     * @throws PlatformException with code {@code account-missing}, {@code account-not-admin} or
     *     {@code account-unsupported} when the account cannot be managed
     */
    ManagedAccount resolve(String policyAccount) throws PlatformException;

    /**
     * An opaque value that changes whenever the account's password changes (on Linux a digest of
     * the shadow hash, on Windows the password-last-set time). It contains no secret. The agent
     * compares it across a crash to learn whether an interrupted password change took effect.
     */
    String passwordMarker(ManagedAccount account) throws PlatformException;

    /**
     * Sets the password. Never passes it on a command line. On failure throws, and the password
     * must be unchanged (or the marker must say otherwise).
     */
    void setPassword(ManagedAccount account, Secret newPassword) throws PlatformException;

    /** Notes for admins about this account, e.g. {@code needs-first-password}. */
    default List<String> warnings(ManagedAccount account) {
        return List.of();
    }

    /**
     * Tells the platform the account's current password, for platforms that must change it WITH
     * the old one (macOS SecureToken accounts). Implementations verify it before keeping it.
     *
     * @throws PlatformException code {@code unsupported} on platforms that never need it
     */
    default void seedCurrentPassword(ManagedAccount account, Secret password) throws PlatformException {
        throw new PlatformException("unsupported", "this platform does not need the current password of "
                + account.name() + "; it sets passwords without it");
    }
}
