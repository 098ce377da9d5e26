package org.castellan.server.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test that takes its own PostgreSQL databases from {@code PostgresServer.shared()} (several nodes
 * on one database, a migration into PostgreSQL, bad database settings): tagged {@value #TAG}, so it
 * runs once, in server-lite's {@code postgresql} execution, whose JVM has the cluster running
 * anyway, and not again in the SQLite one. {@link #value} says in one line why.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Tag(PostgresqlOnly.TAG)
public @interface PostgresqlOnly {
    String TAG = "postgresql";

    /** What it tests that only PostgreSQL has, one line. */
    String value();
}
