package org.castellan.bench;

import org.castellan.e2e.TestJvm;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.castellan.protocol.Json;
import org.castellan.testsupport.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet simulator's regression guard (issue 11), in the default integration suite: the
 * simulator command itself ({@link FleetSimulator}, the same entry point as bench/fleet-simulator),
 * a few seconds at low scale against the real server jar, on SQLite and on PostgreSQL. It seeds 300
 * devices with history and audit rows straight into the database, starts the server on it, runs a
 * closed loop of every operation (signed check-ins, escrows + commits, reveals, audit queries,
 * admin and scoped device pages) and an open loop of check-ins on fresh TLS connections, each
 * followed by its /healthz ceiling; it fails only on a failed request or a lost write (a device
 * whose reveal is not the password it committed last), never on a time. Afterwards the audit chain,
 * seeded rows included, verifies.
 */
class FleetSmokeIT {
    private static final String MIX = "check-in=50,rotation=30,reveal=8,audit=4,list-first=2,list-deep=2,scoped-first=2,scoped-deep=2";

    @TempDir
    Path temp;

    @Test
    void theSimulatorSeedsAndLoadsSqliteWithoutErrorsOrLostWrites() throws Exception {
        run(List.of());
    }

    @Test
    void theSimulatorSeedsAndLoadsPostgresqlWithoutErrorsOrLostWrites() throws Exception {
        PostgresServer.Database database = PostgresServer.shared().newDatabase("fleet_smoke");
        try {
            Path passwordFile = temp.resolve("db-password");
            Files.writeString(passwordFile, database.password() + "\n");
            Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
            run(List.of("--database", database.url(), "--database-password-file", passwordFile.toString()));
        } finally {
            database.drop();
        }
    }

    private void run(List<String> onDatabase) throws Exception {
        Path data = temp.resolve("data");
        // The first start makes the schema, the vault and the audit anchor; seeding needs the server stopped.
        try (BenchServer first = new BenchServer(data).start(List.of("-Xmx256m"), onDatabase, temp.resolve("server-1.log"))) {
            assertThat(first.adminToken()).isNotBlank();
        }
        List<String> seed = new ArrayList<>(List.of("seed", "--data", data.toString(), "--devices", "300", "--history", "3",
                "--real-every", "10", "--batch", "100"));
        seed.addAll(onDatabase);
        assertThat(FleetSimulator.run(seed.toArray(String[]::new))).as("seed exit status").isZero();

        try (BenchServer server = new BenchServer(data).start(List.of("-Xmx256m"), onDatabase, temp.resolve("server-2.log"))) {
            List<String> common = List.of("load", "--server", server.url(), "--fingerprint", server.fingerprint(),
                    "--token-file", data.resolve("initial-admin-token").toString(), "--fleet",
                    data.resolve("fleet-simulator.json").toString(), "--ceiling-seconds", "1");
            Path closed = temp.resolve("closed.json");
            List<String> closedLoop = new ArrayList<>(common);
            closedLoop.addAll(List.of("--closed", "--threads", "4", "--seconds", "3", "--mix", MIX, "--output", closed.toString(),
                    "--label", "smoke-closed"));
            assertThat(FleetSimulator.run(closedLoop.toArray(String[]::new))).as("closed-loop exit status (see stdout)").isZero();
            JsonNode result = Json.mapper().readTree(closed.toFile());
            assertThat(result.path("errors").asLong()).isZero();
            assertThat(result.path("verify").path("lost").asLong()).isZero();
            assertThat(result.path("verify").path("checked").asLong()).as("committed passwords revealed again").isPositive();
            JsonNode operations = result.path("phases").get(0).path("operations");
            for (String op : List.of("check-in", "escrow", "commit", "reveal")) {
                assertThat(operations.path(op).path("count").asLong()).as(op).isPositive();
            }
            assertThat(result.path("ratios").path("healthz-keepaliveRatePerSecond").asDouble()).isPositive();

            Path open = temp.resolve("open.json");
            List<String> openLoop = new ArrayList<>(common);
            openLoop.addAll(List.of("--rate", "20/s", "--threads", "8", "--seconds", "2", "--mix", "check-in=9,rotation=1,scoped-first=1",
                    "--connections", "fresh", "--output", open.toString(), "--label", "smoke-open-fresh"));
            assertThat(FleetSimulator.run(openLoop.toArray(String[]::new))).as("open-loop exit status (see stdout)").isZero();
            JsonNode fresh = Json.mapper().readTree(open.toFile());
            assertThat(fresh.path("errors").asLong()).isZero();
            assertThat(fresh.path("verify").path("lost").asLong()).isZero();
            assertThat(fresh.path("phases").get(0).path("operations").path("check-in").path("count").asLong()).isPositive();
            // The second run's scoped user reached the devices through the first run's group: making the
            // group again would have been refused (its name is taken), and the run with it.
            assertThat(fresh.path("phases").get(0).path("operations").path("scoped-first").path("count").asLong())
                    .isPositive();
        }

        // The seeded audit rows chain like the server's own: the whole log verifies.
        List<String> verify = new ArrayList<>(TestJvm.jar(
                Path.of(System.getProperty("castellan.jars", "target"), "castellan-server.jar").toAbsolutePath()));
        verify.addAll(List.of("audit", "verify", "--data", data.toString()));
        verify.addAll(onDatabase);
        Process p = new ProcessBuilder(verify).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("Audit log intact");
    }
}
