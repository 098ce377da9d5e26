package org.castellan.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.castellan.server.cli.ServerMain;
import org.castellan.server.testing.PostgresqlOnly;
import org.castellan.testsupport.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A database that cannot be used stops {@code serve} with exit 2 and one line, and creates nothing. */
@PostgresqlOnly("bad PostgreSQL settings for serve; takes its own database")
class DatabaseConfigurationTest {
    @TempDir
    static Path tmp;
    static PostgresServer.Database database;
    static Path rightPassword;

    @BeforeAll
    static void database() throws Exception {
        database = PostgresServer.shared().newDatabase("config");
        rightPassword = tmp.resolve("right");
        Files.writeString(rightPassword, database.password());
    }

    @AfterAll
    static void drop() {
        if (database != null) {
            database.drop();
        }
    }

    record Run(int exit, String err) {}

    static Run serve(Path data, String... more) {
        List<String> args = new ArrayList<>(List.of("serve", "--data", data.toString(), "--listen", "127.0.0.1:0"));
        args.addAll(List.of(more));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return new Run(ServerMain.execute(args.toArray(String[]::new)), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(old);
        }
    }

    static void refusedWithOneLine(Run run, Path data, String saying) {
        assertThat(run.exit()).as(run.err()).isEqualTo(2);
        assertThat(run.err().strip().lines()).as(run.err()).hasSize(1);
        assertThat(run.err()).contains(saying).doesNotContain(database.password()).doesNotContain("Exception");
        assertThat(data).doesNotExist();
    }

    @Test
    void aMalformedUrlIsRefused() {
        Path data = tmp.resolve("malformed");
        refusedWithOneLine(serve(data, "--database", "mysql://db/castellan"), data, "postgresql://");
        refusedWithOneLine(serve(data, "--database", "postgresql://127.0.0.1:5432/castellan"), data, "?user=NAME");
    }

    @Test
    void aPasswordInTheUrlIsRefusedWithoutEchoingIt() {
        Path data = tmp.resolve("password-in-url");
        Run run = serve(data, "--database", database.url() + "&password=" + database.password());
        refusedWithOneLine(run, data, "must not hold the password");
        run = serve(data, "--database", "postgresql://castellan:" + database.password() + "@127.0.0.1/x?user=castellan");
        refusedWithOneLine(run, data, "must not hold credentials");
    }

    @Test
    void anUnreachableDatabaseIsRefused() throws Exception {
        Path data = tmp.resolve("unreachable");
        // Bound but never listening, held while the server tries it: refused, and no other test's
        // server can take the port meanwhile.
        try (java.net.Socket bound = new java.net.Socket()) {
            bound.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
            refusedWithOneLine(serve(data, "--database", "postgresql://127.0.0.1:" + bound.getLocalPort()
                    + "/x?user=castellan", "--database-password-file", rightPassword.toString()), data, "cannot connect to");
        }
    }

    @Test
    void aWrongPasswordIsRefused() throws Exception {
        Path data = tmp.resolve("wrong-password");
        Path wrong = tmp.resolve("wrong");
        Files.writeString(wrong, "not-the-password");
        refusedWithOneLine(serve(data, "--database", database.url(), "--database-password-file", wrong.toString()),
                data, "password authentication failed");
    }

    @Test
    void aSchemaNewerThanThisServerIsRefused() throws Exception {
        PostgresServer.Database newer = PostgresServer.shared().newDatabase("newer");
        try {
            newer.sql("CREATE TABLE flyway_schema_history (installed_rank INT NOT NULL PRIMARY KEY, version VARCHAR(50),"
                    + " description VARCHAR(200) NOT NULL, type VARCHAR(20) NOT NULL, script VARCHAR(1000) NOT NULL,"
                    + " checksum INT, installed_by VARCHAR(100) NOT NULL, installed_on TIMESTAMP NOT NULL DEFAULT now(),"
                    + " execution_time INT NOT NULL, success BOOLEAN NOT NULL);"
                    + " INSERT INTO flyway_schema_history VALUES (1, '999', 'from the future', 'SQL', 'V999__future.sql',"
                    + " 1, 'castellan', now(), 1, true)");
            Path data = tmp.resolve("newer");
            refusedWithOneLine(serve(data, "--database", newer.url(), "--database-password-file", rightPassword.toString()),
                    data, "cannot use database");
        } finally {
            newer.drop();
        }
    }
}
