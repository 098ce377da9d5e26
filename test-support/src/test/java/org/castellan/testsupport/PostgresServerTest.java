package org.castellan.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The test PostgreSQL really runs, as a non-root user, and hands out separate databases. */
class PostgresServerTest {
    @Test
    void startsARealServerWithSeparateDatabases() {
        PostgresServer server = PostgresServer.shared();
        PostgresServer.Database a = server.newDatabase("probe");
        PostgresServer.Database b = server.newDatabase("probe");

        assertThat(a.name()).isNotEqualTo(b.name());
        a.sql("CREATE TABLE t (v text)");
        a.sql("INSERT INTO t VALUES ('only in a')");
        assertThat(a.sql("SELECT v FROM t")).isEqualTo("only in a");
        assertThatThrownBy(() -> b.sql("SELECT v FROM t")).hasMessageContaining("does not exist");
        assertThat(a.sql("SELECT current_setting('server_version_num')::int >= 140000")).isEqualTo("t");
        assertThat(a.sql("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).isEqualTo("t");
        assertThat(a.url()).startsWith("postgresql://127.0.0.1:" + server.port() + "/" + a.name());
        a.drop();
        assertThat(server.sql("postgres", "SELECT count(*) FROM pg_database WHERE datname = '" + a.name() + "'"))
                .isEqualTo("0");
    }

    @Test
    void refusesAWrongPassword() {
        PostgresServer server = PostgresServer.shared();
        assertThat(server.password()).hasSizeGreaterThan(20);
        // The cluster requires scram-sha-256 for TCP connections: trust is never configured.
        assertThat(server.sql("postgres", "SELECT count(*) FROM pg_hba_file_rules WHERE auth_method = 'trust'"))
                .isEqualTo("0");
    }
}
