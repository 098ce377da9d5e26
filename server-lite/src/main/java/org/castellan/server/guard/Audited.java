package org.castellan.server.guard;

/**
 * What an admin action or a granted device action returns from its transaction: the value for the
 * response and the audit row's detail. {@link #unchanged} says nothing changed (revoking what was
 * already revoked), so no row is written.
 */
public record Audited<T>(T value, String detail, boolean changed) {
    public static <T> Audited<T> of(T value, String detail) {
        return new Audited<>(value, detail, true);
    }

    public static <T> Audited<T> unchanged(T value) {
        return new Audited<>(value, null, false);
    }
}
