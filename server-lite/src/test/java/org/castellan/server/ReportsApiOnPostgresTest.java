package org.castellan.server;

import org.castellan.server.testing.OnPostgres;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link ReportsApiTest}, every test, on a real PostgreSQL database instead of the embedded SQLite one. */
@ExtendWith(OnPostgres.class)
class ReportsApiOnPostgresTest extends ReportsApiTest {
}
