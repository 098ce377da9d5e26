package org.castellan.server.jit;

import org.castellan.server.testing.OnPostgres;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link JitRoutesTest}, every test, on a real PostgreSQL database instead of the embedded SQLite one. */
@ExtendWith(OnPostgres.class)
class JitRoutesOnPostgresTest extends JitRoutesTest {
}
