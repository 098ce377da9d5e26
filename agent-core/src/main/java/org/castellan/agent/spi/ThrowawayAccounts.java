package org.castellan.agent.spi;

/**
 * Creates and deletes the disposable local account of {@code castellan-agent selftest
 * --throwaway-account}. Only the selftest uses it, and only on names it generated itself; the
 * password of the account it creates is then set with the production {@link AccountManager}.
 */
public interface ThrowawayAccounts {
    /** Whether a local account of this name exists. */
    boolean exists(String name) throws PlatformException;

    /**
     * Creates an ordinary (not administrator), unusable-until-set local account. Fails if the name
     * is taken: the selftest never adopts an account it did not create.
     */
    ManagedAccount create(String name) throws PlatformException;

    /** Deletes the account; no error if it is already gone. */
    void delete(String name) throws PlatformException;

    /**
     * Checks, on the throwaway account, what this platform's check before commit assumes and
     * cannot be seen from elsewhere (Windows: that a disabled account's right password is still
     * told from a wrong one). Called after the selftest proved {@code current}; may change the
     * account, which is deleted next. Default: nothing to check.
     */
    default java.util.List<DiagnosticCheck> checkAssumptions(ManagedAccount account, org.castellan.protocol.Secret current,
            org.castellan.protocol.Secret wrong) {
        return java.util.List.of();
    }
}
