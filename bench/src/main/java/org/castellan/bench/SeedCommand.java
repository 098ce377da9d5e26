package org.castellan.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.LongStream;
import org.castellan.protocol.Json;
import org.castellan.protocol.envelope.AssociatedData;
import org.castellan.protocol.envelope.Envelope;
import org.castellan.protocol.envelope.SecretEnvelope;
import org.castellan.protocol.messages.VaultKey;
import org.castellan.server.audit.AuditChain;
import org.castellan.server.audit.AuditEvent;
import org.castellan.server.audit.AuditHead;
import org.castellan.server.audit.HeadAnchorFile;
import org.castellan.server.audit.SharedChainHead;
import org.castellan.server.audit.SqlAuditLog;
import org.castellan.server.db.Database;
import org.castellan.server.db.DatabaseTarget;
import org.castellan.server.vault.VaultKeyFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fleet-simulator seed}: writes N registered devices into the server's own database, in
 * the server's own schema, with batched inserts in large transactions — each device row (its
 * derived Ed25519 public key), its password history (monthly rotations: {@code --history}
 * superseded ones and the committed current one) and the audit rows the server would have written
 * for them (registration, each escrow and commit), hash-chained onto the log's end exactly as
 * {@link AuditChain} chains them. Every {@code --real-every}-th device's current password is a
 * real envelope sealed to the vault key (reveals and the lost-write check use those); the rest
 * carry an envelope of the same size sealed under another context (the bytes on disk are real, the
 * reveal would fail). The server must have been started once on this data directory (and
 * database) and be stopped while seeding: on SQLite the next start anchors the seeded audit
 * entries (they chain onto the anchored head); on PostgreSQL the seeder moves the chain head row
 * itself, under the anchor key in {@code DIR/audit}.
 */
@Command(name = "seed", mixinStandardHelpOptions = true, description = "Seed registered devices, password history and audit rows straight into the database.")
final class SeedCommand implements Callable<Integer> {
    private static final long DAY = Duration.ofDays(1).toMillis();

    @Option(names = "--data", required = true, description = "The server's data directory (vault keys, audit anchor; the SQLite database).")
    Path data;

    @Option(names = "--database", description = "postgresql://HOST:PORT/DB?user=NAME (password: CASTELLAN_DATABASE_PASSWORD or --database-password-file); absent = SQLite in --data.")
    String database;

    @Option(names = "--database-password-file", description = "File holding the PostgreSQL password.")
    Path passwordFile;

    @Option(names = "--devices", defaultValue = "1000", description = "Devices to seed (default ${DEFAULT-VALUE}).")
    long devices;

    @Option(names = "--history", defaultValue = "10", description = "Superseded passwords per device, one a month (default ${DEFAULT-VALUE}).")
    int history;

    @Option(names = "--real-every", defaultValue = "100", description = "Every N-th device gets a decryptable current password (default ${DEFAULT-VALUE}).")
    int realEvery;

    @Option(names = "--audit", defaultValue = "full", description = "Audit rows per device: full (registration, each escrow and commit), register, none (default ${DEFAULT-VALUE}).")
    String audit;

    @Option(names = "--batch", defaultValue = "2000", description = "Devices per transaction (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--fleet", description = "Where to write the fleet manifest for 'load' (default DIR/fleet-simulator.json).")
    Path fleetFile;

    @Override
    public Integer call() throws Exception {
        if (!Set.of("full", "register", "none").contains(audit)) {
            throw new IllegalArgumentException("--audit must be full, register or none");
        }
        DatabaseTarget target = DatabaseTarget.parse(database);
        VaultKey vaultKey = new VaultKeyFiles(data).load().current().publicKey();
        byte[] seed = new byte[32];
        new SecureRandom().nextBytes(seed);
        FleetManifest manifest = new FleetManifest(devices, HexFormat.of().formatHex(seed), realEvery, history, vaultKey);
        FleetLayout layout = manifest.layout();
        long started = System.nanoTime();
        String[] load0 = MachineLoad.uptime();
        try (Connection c = connect(target)) {
            requireSchema(c);
            Seeding seeding = new Seeding(c, target.embedded(), layout, manifest);
            AuditHead head = seeding.run();
            if (!target.embedded() && !"none".equals(audit)) {
                // The shared chain head row moves with the log, under this data directory's anchor key.
                new SharedChainHead(new HeadAnchorFile(data), Clock.systemUTC()).put(c, head);
                c.commit();
            }
            try (Statement st = c.createStatement()) {
                c.setAutoCommit(true);
                st.execute("ANALYZE");
            }
            manifest.write(fleetFile == null ? data.resolve("fleet-simulator.json") : fleetFile);
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf(Locale.ROOT, "seeded %d devices (%d rotations, %d audit rows) into %s in %.1f s: %.0f devices/s%n"
                    + "uptime before: %s%nuptime after:  %s%n", devices, seeding.rotations, seeding.auditRows, target,
                    seconds, devices / seconds, load0[0], MachineLoad.uptime()[0]);
        }
        return 0;
    }

    private Connection connect(DatabaseTarget target) throws Exception {
        Connection c;
        if (target.embedded()) {
            Path file = data.resolve(Database.FILE_NAME);
            if (!Files.exists(file)) {
                throw new IllegalArgumentException(file + " does not exist: start 'castellan-server serve --data " + data + "' once first");
            }
            c = DriverManager.getConnection("jdbc:sqlite:" + file);
            try (Statement st = c.createStatement()) {
                // The seeding connection only: the server itself keeps synchronous=FULL.
                st.execute("PRAGMA synchronous = OFF");
                st.execute("PRAGMA cache_size = -1000000");
                st.execute("PRAGMA busy_timeout = 10000");
            }
        } else {
            Properties props = new Properties();
            props.setProperty("user", target.user());
            props.setProperty("password", password());
            props.setProperty("reWriteBatchedInserts", "true");
            c = DriverManager.getConnection(target.jdbcUrl(), props);
            try (Statement st = c.createStatement()) {
                st.execute("SET synchronous_commit = off"); // this session only; the server's commits stay durable
            }
        }
        c.setAutoCommit(false);
        return c;
    }

    private String password() throws Exception {
        if (passwordFile != null) {
            return Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
        }
        String env = System.getenv("CASTELLAN_DATABASE_PASSWORD");
        if (env == null) {
            throw new IllegalArgumentException("PostgreSQL needs CASTELLAN_DATABASE_PASSWORD or --database-password-file");
        }
        return env;
    }

    private static void requireSchema(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM devices WHERE id = '"
                + FleetLayout.id(0) + "'")) {
            rs.next();
            if (rs.getLong(1) > 0) {
                throw new IllegalStateException("this database is already seeded (device " + FleetLayout.id(0) + " exists)");
            }
        } catch (SQLException e) {
            if (e.getMessage() != null && e.getMessage().contains("devices")) {
                throw new IllegalStateException("no Castellan schema here: start 'castellan-server serve' once on this database first", e);
            }
            throw e;
        }
    }

    /** One pass over the fleet, {@code --batch} devices per transaction. */
    private final class Seeding {
        private final Connection c;
        private final boolean sqlite;
        private final FleetLayout layout;
        private final FleetManifest manifest;
        private final String fillerEnvelope;
        private final long now = System.currentTimeMillis();
        long rotations;
        long auditRows;
        private long auditId;
        private String auditHash;
        private long auditCount;

        Seeding(Connection c, boolean sqlite, FleetLayout layout, FleetManifest manifest) throws Exception {
            this.c = c;
            this.sqlite = sqlite;
            this.layout = layout;
            this.manifest = manifest;
            // Same size as a real envelope; sealed under a context no seeded rotation has.
            this.fillerEnvelope = json(SecretEnvelope.seal(manifest.vaultKey(),
                    AssociatedData.forPassword("filler", FleetLayout.ACCOUNT, "filler"),
                    "Seed-000000000000000000000000".getBytes(StandardCharsets.UTF_8)));
        }

        AuditHead run() throws Exception {
            AuditHead head = SqlAuditLog.head(c);
            auditId = head.id();
            auditHash = head.hash();
            auditCount = head.count();
            try (PreparedStatement dev = c.prepareStatement("INSERT INTO devices (id, hostname, os, os_version, agent_version,"
                    + " public_key, account, warnings, registered_at, approved_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, '[]', ?, ?, ?)");
                 PreparedStatement rot = c.prepareStatement("INSERT INTO rotations (id, device_id, account, state, vault_key_id,"
                         + " envelope, escrowed_at, committed_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
                 PreparedStatement aud = c.prepareStatement("INSERT INTO audit_log (id, at, principal, action, outcome,"
                         + " device_id, reason, client_address, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (long from = 0; from < devices; from += batch) {
                    long to = Math.min(devices, from + batch);
                    // Public keys (one scalar multiplication each) on every core; the inserts on this thread.
                    String[] keys = LongStream.range(from, to).parallel().mapToObj(i -> layout.key(i).publicKeyBase64())
                            .toArray(String[]::new);
                    for (long i = from; i < to; i++) {
                        device(dev, rot, aud, i, keys[(int) (i - from)]);
                    }
                    dev.executeBatch();
                    rot.executeBatch();
                    aud.executeBatch();
                    c.commit();
                    if ((to / batch) % 50 == 0 || to == devices) {
                        System.out.printf(Locale.ROOT, "  %d / %d devices%n", to, devices);
                    }
                }
            }
            return new AuditHead(auditId, auditHash, auditCount);
        }

        private void device(PreparedStatement dev, PreparedStatement rot, PreparedStatement aud, long i, String publicKey)
                throws Exception {
            String id = FleetLayout.id(i);
            long registered = now - (history + 1) * 30 * DAY - DAY;
            long seen = now - (i % 3_600) * 1_000; // hourly check-ins, spread over the last hour
            Object[] row = {id, FleetLayout.hostname(i), FleetLayout.os(i), "1.0", "0.1.0", publicKey, FleetLayout.ACCOUNT,
                    registered, registered, seen};
            for (int k = 0; k < row.length; k++) {
                dev.setObject(k + 1, row[k]);
            }
            dev.addBatch();
            String address = "10." + ((i >> 16) & 255) + "." + ((i >> 8) & 255) + "." + (i & 255);
            if (!"none".equals(audit)) {
                audit(aud, registered, "registration-key:fleet-simulator", "device.register", id, address, "hostname " + FleetLayout.hostname(i));
            }
            for (int j = 0; j <= history; j++) {
                boolean current = j == history;
                String rotationId = FleetLayout.rotationId(i, j);
                long escrowed = now - (history - j) * 30 * DAY - 60_000;
                long committed = escrowed + 2_000;
                String envelope = current && manifest.real(i)
                        ? json(SecretEnvelope.seal(manifest.vaultKey(), AssociatedData.forPassword(id, FleetLayout.ACCOUNT, rotationId),
                                layout.seededPassword(i).getBytes(StandardCharsets.UTF_8)))
                        : fillerEnvelope;
                Object[] r = {rotationId, id, FleetLayout.ACCOUNT, current ? "committed" : "superseded", manifest.vaultKey().keyId(),
                        envelope, escrowed, committed, committed + 30 * DAY};
                for (int k = 0; k < r.length; k++) {
                    rot.setObject(k + 1, r[k]);
                }
                rot.addBatch();
                rotations++;
                if ("full".equals(audit)) {
                    audit(aud, escrowed, "device:" + id, "rotation.escrow", id, address, "rotation " + rotationId + " account " + FleetLayout.ACCOUNT);
                    audit(aud, committed, "device:" + id, "rotation.commit", id, address, "rotation " + rotationId);
                }
            }
        }

        private void audit(PreparedStatement aud, long at, String principal, String action, String deviceId, String address,
                           String detail) throws SQLException {
            long id = ++auditId;
            AuditEvent event = new AuditEvent(principal, action, "ok", deviceId, null, address, detail);
            String hash = AuditChain.hash(auditHash, id, Instant.ofEpochMilli(at), event);
            Object[] r = {id, at, principal, action, "ok", deviceId, null, address, detail, auditHash, hash};
            for (int k = 0; k < r.length; k++) {
                if (r[k] == null) {
                    aud.setNull(k + 1, java.sql.Types.VARCHAR);
                } else {
                    aud.setObject(k + 1, r[k]);
                }
            }
            aud.addBatch();
            auditHash = hash;
            auditCount++;
            auditRows++;
        }
    }

    private static String json(Envelope envelope) throws Exception {
        return Json.mapper().writeValueAsString(envelope);
    }
}
