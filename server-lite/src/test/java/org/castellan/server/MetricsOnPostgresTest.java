package org.castellan.server;

import org.castellan.server.testing.OnPostgres;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link MetricsTest}, every test, on a real PostgreSQL database: the pool's and the write transactions' meters there. */
@ExtendWith(OnPostgres.class)
class MetricsOnPostgresTest extends MetricsTest {
}
