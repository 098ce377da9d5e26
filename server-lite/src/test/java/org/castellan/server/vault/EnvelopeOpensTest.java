package org.castellan.server.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.castellan.protocol.Secret;
import org.castellan.protocol.envelope.AssociatedData;
import org.castellan.protocol.envelope.Envelope;
import org.castellan.protocol.envelope.SecretEnvelope;
import org.castellan.protocol.envelope.VaultKeyPair;
import org.castellan.server.db.Database;
import org.castellan.server.recovery.RecoveryKeyOpener;
import org.castellan.server.recovery.RecoveryKeyRecord;
import org.castellan.server.rotation.PasswordOpener;
import org.castellan.server.rotation.Rotation;
import org.castellan.server.testing.OnPostgres;
import org.castellan.server.users.TotpSeeds;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rule of issue 11 kept in one place: an envelope opens outside write transactions and refuses
 * to open inside one (on SQLite the writer thread every write waits for), whichever opener is asked,
 * and the write that tried keeps nothing. On the run's database: SQLite, or PostgreSQL.
 */
class EnvelopeOpensTest {
    private static final String DEVICE = "device-1";

    @TempDir
    static Path dataDir;
    static Database db;
    static Vault vault;

    @BeforeAll
    static void open() throws Exception {
        db = OnPostgres.open(dataDir);
        db.write(c -> c.createStatement().executeUpdate("CREATE TABLE opens_t (name TEXT PRIMARY KEY)"));
        VaultKeyPair key = VaultKeyPair.generate("vault-1", new SecureRandom());
        vault = new Vault(Map.of(key.keyId(), key), key.keyId());
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void theCallingThreadIsInsideAWriteTransactionOnlyWhileTheWritesWorkRuns() {
        assertThat(Database.inWriteTransaction()).isFalse();
        boolean inWrite = db.write(c -> Database.inWriteTransaction());
        boolean inBookkeeping = db.writeBookkeeping(c -> Database.inWriteTransaction());
        boolean inRead = db.read(c -> Database.inWriteTransaction());
        assertThat(inWrite).isTrue();
        assertThat(inBookkeeping).isTrue();
        assertThat(inRead).as("a read is no write transaction").isFalse();
        assertThatThrownBy(() -> db.write(c -> {
            throw new IllegalArgumentException("the work failed");
        })).hasMessage("the work failed");
        assertThat(Database.inWriteTransaction()).as("after a write, even one that failed").isFalse();
    }

    @Test
    void aStoredRecoveryKeyOpensOutsideAWriteAndNotInsideOne() throws Exception {
        RecoveryKeyOpener opener = new RecoveryKeyOpener(vault);
        RecoveryKeyRecord stored = new RecoveryKeyRecord("key-1", DEVICE, "vol-1", "C:", "prot-1",
                seal(AssociatedData.forRecoveryKey(DEVICE, "vol-1", "prot-1"), "111111-222222"), Instant.EPOCH, null);

        byte[] outside = opener.openBytes(stored);
        assertThat(new String(outside, StandardCharsets.UTF_8)).isEqualTo("111111-222222");
        Arrays.fill(outside, (byte) 0);
        try (Secret shown = opener.open(stored)) {
            assertThat(shown.toString()).isEqualTo("***");
        }

        assertRefusedInsideAWrite(() -> opener.openBytes(stored));
        assertRefusedInsideAWrite(() -> opener.open(stored));
    }

    @Test
    void aSentRecoveryKeyIsTestOpenedOutsideAWriteAndInsideOneIsRefusedNotCalledABadEnvelope() throws Exception {
        RecoveryKeyOpener opener = new RecoveryKeyOpener(vault);
        Envelope sent = seal(AssociatedData.forRecoveryKey(DEVICE, "vol-2", "prot-2"), "333333-444444");

        byte[] outside = opener.testOpen(DEVICE, "vol-2", "prot-2", sent, 0);
        assertThat(new String(outside, StandardCharsets.UTF_8)).isEqualTo("333333-444444");
        Arrays.fill(outside, (byte) 0);

        assertRefusedInsideAWrite(() -> opener.testOpen(DEVICE, "vol-2", "prot-2", sent, 0));
    }

    @Test
    void aStoredPasswordOpensOutsideAWriteAndNotInsideOne() throws Exception {
        PasswordOpener opener = new PasswordOpener(vault);
        String rotationId = "6f1c2b3a-0000-4000-8000-000000000001";
        Rotation rotation = new Rotation(rotationId, DEVICE, "root", Rotation.COMMITTED,
                seal(AssociatedData.forPassword(DEVICE, "root", rotationId), "Opened-outside-1"), Instant.EPOCH,
                Instant.EPOCH, null, null, null);

        try (Secret password = opener.open(rotation)) {
            assertThat(password.reveal()).isEqualTo("Opened-outside-1");
        }

        assertRefusedInsideAWrite(() -> opener.open(rotation));
    }

    @Test
    void aTotpSeedOpensOutsideAWriteAndNotInsideOne() {
        TotpSeeds seeds = new TotpSeeds(vault);
        String sealed = seeds.seal("user-1", new byte[] {1, 2, 3, 4});

        byte[] seed = seeds.open("user-1", sealed);
        assertThat(seed).containsExactly(1, 2, 3, 4);
        TotpSeeds.wipe(seed);

        assertRefusedInsideAWrite(() -> seeds.open("user-1", sealed));
    }

    @Test
    void anyEnvelopeOpenedThroughTheGuardIsRefusedInsideAWrite() throws Exception {
        AssociatedData context = AssociatedData.forPassword(DEVICE, "root", "any");
        Envelope envelope = seal(context, "through-the-guard");

        byte[] outside = EnvelopeOpens.open(vault.current(), context, envelope);
        assertThat(new String(outside, StandardCharsets.UTF_8)).isEqualTo("through-the-guard");
        Arrays.fill(outside, (byte) 0);

        assertRefusedInsideAWrite(() -> EnvelopeOpens.open(vault.current(), context, envelope));
        assertThatThrownBy(() -> db.writeBookkeeping(c -> {
            try {
                return EnvelopeOpens.open(vault.current(), context, envelope);
            } catch (org.castellan.protocol.envelope.EnvelopeException e) {
                throw new AssertionError("unexpected " + e, e);
            }
        })).isInstanceOf(IllegalStateException.class).hasMessage(EnvelopeOpens.RULE);
    }

    /** Opens inside a write: refused with the rule named, the write's other changes rolled back with it. */
    private static void assertRefusedInsideAWrite(Opening opening) {
        String row = "opened-" + System.nanoTime();
        assertThatThrownBy(() -> db.write(c -> {
            try (var st = c.prepareStatement("INSERT INTO opens_t (name) VALUES (?)")) {
                st.setString(1, row);
                st.executeUpdate();
            }
            try {
                return opening.open();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new AssertionError("unexpected " + e, e);
            }
        })).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("never opened inside a write transaction")
                .hasMessageContaining("issue 11");
        int kept = db.read(c -> count(c, row));
        assertThat(kept).as("the write that tried to open kept nothing").isZero();
    }

    @FunctionalInterface
    private interface Opening {
        Object open() throws Exception;
    }

    private static int count(Connection c, String name) throws SQLException {
        try (var st = c.prepareStatement("SELECT COUNT(*) FROM opens_t WHERE name = ?")) {
            st.setString(1, name);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static Envelope seal(AssociatedData context, String secret) throws Exception {
        return SecretEnvelope.seal(vault.current().publicKey(), context, secret.getBytes(StandardCharsets.UTF_8));
    }
}
