package org.castellan.server.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test (class or method) about the embedded SQLite database itself — its files, WAL, group commit,
 * migration in place, query plans — which PostgreSQL does not have: tagged {@value #TAG}, so
 * server-lite's {@code postgresql} execution leaves it out. Behaviour both backends share is never
 * excluded this way; {@link #value} says in one line why this one is SQLite's alone (the list is in
 * server-lite/README.md, "Tests on both databases").
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Tag(SqliteOnly.TAG)
public @interface SqliteOnly {
    String TAG = "sqlite-only";

    /** Why the test has no PostgreSQL counterpart, one line. */
    String value();
}
