package org.castellan.server.recovery;

import org.castellan.server.testing.OnPostgres;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link RecoveryKeyEscrowTest}, every test, on a real PostgreSQL database instead of the embedded SQLite one. */
@ExtendWith(OnPostgres.class)
class RecoveryKeyEscrowOnPostgresTest extends RecoveryKeyEscrowTest {
}
