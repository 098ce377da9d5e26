package org.castellan.server;

import org.castellan.server.testing.OnPostgres;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link PasswordFlowTest}, every test, on a real PostgreSQL database instead of the embedded SQLite one. */
@ExtendWith(OnPostgres.class)
class PasswordFlowOnPostgresTest extends PasswordFlowTest {
    /** Not run here: it is about the SQLite files in the data directory, which PostgreSQL does not have. */
    @Override
    void plaintextPasswordsAppearNowhereInTheDataDirectory() {
    }
}
