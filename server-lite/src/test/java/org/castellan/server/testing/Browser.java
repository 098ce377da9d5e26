package org.castellan.server.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test that drives the web console in headless Chromium: tagged {@value #TAG}. These are the
 * slowest tests of the module (minutes together) and test pages that are the same on either
 * backend, so server-lite's {@code postgresql} execution leaves them out; the console's requests
 * themselves run on PostgreSQL there in {@code ConsoleTest} (over HTTPS, without a browser).
 * {@link #value} says in one line what is left to the SQLite run.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Tag(Browser.TAG)
public @interface Browser {
    String TAG = "browser";

    /** What the browser adds over the HTTP tests, one line. */
    String value();
}
