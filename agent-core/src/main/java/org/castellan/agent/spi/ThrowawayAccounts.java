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
}
