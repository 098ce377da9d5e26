package org.castellan.agent.spi;

import java.time.Instant;

/**
 * Makes a user a local administrator and takes it back: one implementation per OS (Linux: a sudoers
 * drop-in that also carries sudo's own {@code NOTAFTER=}; Windows: the Administrators group by
 * SID; macOS: the {@code admin} group). agent-core keeps the expiry and calls {@link #revoke} at
 * it; an implementation only changes the OS.
 */
public interface AdminRights {
    /**
     * Gives {@code user} administrator rights until {@code notAfter} (where the OS can enforce the
     * end itself, it must). Called again for a user who holds a grant, with a later end, it extends it.
     *
     * @return true when this call (or an earlier grant of Castellan's) made the user an administrator;
     *     false when the user already was one by other means, which {@link #revoke} must then leave alone
     */
    boolean grant(String user, Instant notAfter) throws PlatformException;

    /** Takes back what {@link #grant} gave; nothing to take back is not an error. */
    void revoke(String user) throws PlatformException;

    /** A platform without just-in-time admin rights: every grant fails with {@code unsupported}. */
    AdminRights NONE = new AdminRights() {
        @Override
        public boolean grant(String user, Instant notAfter) throws PlatformException {
            throw new PlatformException("unsupported", "this platform cannot grant just-in-time admin rights");
        }

        @Override
        public void revoke(String user) {
            // Nothing was ever granted.
        }
    };
}
