package org.castellan.server.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test that opens no database and starts no server (parsing, crypto, rules in memory, the
 * architecture): tagged {@value #TAG}, so it runs once, in the SQLite execution, not again in the
 * {@code postgresql} one where it would test exactly the same thing. {@link #value} says what it tests.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Tag(NoDatabase.TAG)
public @interface NoDatabase {
    String TAG = "no-database";

    /** What it tests without a database, one line. */
    String value();
}
