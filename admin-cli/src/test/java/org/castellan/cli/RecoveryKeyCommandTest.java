package org.castellan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.castellan.cli.testing.CliRunner;
import org.castellan.cli.testing.Fixtures;
import org.castellan.cli.testing.RecordingHttpsServer;
import org.castellan.cli.testing.ServerTestBase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** recovery-key get by host name and by key id. */
class RecoveryKeyCommandTest extends ServerTestBase {
    private static final String DEVICE_ID = "9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d";
    private static final String KEYS_PATH = "/api/v1/devices/" + DEVICE_ID + "/recovery-keys";
    private static final String CURRENT_KEY = "111111-222222-333333-444444-555555-666666-777777-888888";
    private static final String OLD_KEY = "999999-000000-111111-222222-333333-444444-555555-666666";
    private static final String KEYS = q("[{'volumeId':'\\\\\\\\?\\\\Volume{aa}','volumeLabel':'C:','protectorId':'{6F1A2B3C-0000-4000-8000-000000000001}',"
            + "'recoveryKey':'" + CURRENT_KEY + "','escrowedAt':'2026-11-20T08:00:00Z','removedAt':null},"
            + "{'volumeId':'\\\\\\\\?\\\\Volume{aa}','volumeLabel':'C:','protectorId':'{0D0D0D0D-0000-4000-8000-000000000002}',"
            + "'recoveryKey':'" + OLD_KEY + "','escrowedAt':'2026-10-01T08:00:00Z','removedAt':'2026-11-20T08:00:00Z'}]");

    @BeforeEach
    void device() {
        server.respond("GET", "/api/v1/devices", 200, "[" + Fixtures.device(DEVICE_ID, "pc042") + "]");
    }

    @Test
    void byHostnamePrintsATableOfVolumeProtectorAndKeyWithTheReasonSent() {
        server.respond("GET", KEYS_PATH, 200, KEYS);

        CliRunner.Result result = cli.run("recovery-key", "get", "pc042", "--reason", "user locked out, ticket 7");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(server.lastRequest("GET", KEYS_PATH).query()).containsExactly(Map.entry("reason", "user locked out, ticket 7"));
        assertThat(result.stdout().lines()).containsExactly(
                "VOLUME  PROTECTOR-ID                            RECOVERY-KEY                                             ESCROWED              REMOVED",
                "C:      {6F1A2B3C-0000-4000-8000-000000000001}  " + CURRENT_KEY + "  2026-11-20T08:00:00Z  -",
                "C:      {0D0D0D0D-0000-4000-8000-000000000002}  " + OLD_KEY + "  2026-10-01T08:00:00Z  2026-11-20T08:00:00Z");
        assertThat(result.stderr()).doesNotContain(CURRENT_KEY);
    }

    @Test
    void keyOnlyPrintsTheCurrentKeysAloneAndNotesTheRemovedOnStderr() {
        server.respond("GET", KEYS_PATH, 200, KEYS);

        CliRunner.Result result = cli.run("recovery-key", "get", "pc042", "-q");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).isEqualTo(CURRENT_KEY + NL);
        assertThat(result.stderr()).contains("1 removed key(s) not printed").doesNotContain(CURRENT_KEY).doesNotContain(OLD_KEY);
    }

    @Test
    void byKeyIdStripsBracesAndFindsKeysOnAnyDeviceWithoutAHostnameLookup() {
        server.respond("GET", "/api/v1/recovery-keys", 200, q("[{'volumeId':'v','volumeLabel':'D:','protectorId':'{0D0D0D0D-0000}',"
                + "'recoveryKey':'" + OLD_KEY + "','escrowedAt':'2026-10-01T08:00:00Z','removedAt':'2026-11-20T08:00:00Z',"
                + "'deviceId':'" + DEVICE_ID + "','hostname':'pc042'}]"));

        CliRunner.Result result = cli.run("recovery-key", "get", "--key-id", "{0d0d0d0d", "--reason", "boot screen", "--key-only");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(server.requests()).extracting(RecordingHttpsServer.Recorded::path).containsExactly("/api/v1/recovery-keys");
        assertThat(server.lastRequest("GET", "/api/v1/recovery-keys").query())
                .containsExactly(Map.entry("keyId", "0d0d0d0d"), Map.entry("reason", "boot screen"));
        assertThat(result.stdout()).isEqualTo(OLD_KEY + NL);
    }

    @Test
    void byKeyIdTableNamesTheDevice() {
        server.respond("GET", "/api/v1/recovery-keys", 200, q("[{'volumeLabel':'C:','protectorId':'{6F1A2B3C-0000}',"
                + "'recoveryKey':'" + CURRENT_KEY + "','escrowedAt':'2026-11-20T08:00:00Z','removedAt':null,"
                + "'deviceId':'" + DEVICE_ID + "','hostname':'pc042'}]"));

        CliRunner.Result result = cli.run("recovery-key", "get", "--key-id", "6F1A2B3C");

        assertThat(result.stdout().lines()).element(1).asString().contains(CURRENT_KEY).contains("pc042").contains(DEVICE_ID);
    }

    @Test
    void jsonOutputIsTheServersAnswer() {
        server.respond("GET", KEYS_PATH, 200, KEYS);

        CliRunner.Result result = cli.run("recovery-key", "get", "pc042", "-o", "json");

        assertThat(parsed(result.stdout())).isEqualTo(parsed(KEYS));
    }

    @Test
    void noEscrowedKeyIsAnErrorSoScriptsDoNotGetAnEmptyKey() {
        server.respond("GET", KEYS_PATH, 200, "[]");

        CliRunner.Result result = cli.run("recovery-key", "get", "pc042", "-q");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr()).contains("no recovery key has been escrowed");
    }

    @Test
    void hostnameAndKeyIdAreExclusiveAndTheKeyIdNeedsEightHexCharacters() {
        CliRunner.Result both = cli.run("recovery-key", "get", "pc042", "--key-id", "6F1A2B3C");
        CliRunner.Result neither = cli.run("recovery-key", "get");
        CliRunner.Result shortId = cli.run("recovery-key", "get", "--key-id", "6F1A");

        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(neither.exitCode()).isEqualTo(2);
        assertThat(shortId.exitCode()).isEqualTo(2);
        assertThat(shortId.stderr()).contains("at least 8 hex characters");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void rateLimitedRevealPrintsTheRetryAfterSeconds() {
        server.respond("GET", KEYS_PATH, Map.of(), 429, q("{'error':'rate-limited','message':'too many reveals, 10 per minute'}"),
                Map.of("Retry-After", "42"));

        CliRunner.Result result = cli.run("recovery-key", "get", "pc042");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).isEqualTo("castellan: get recovery keys for pc042: too many reveals, 10 per minute"
                + " (rate-limited, HTTP 429); retry after 42 seconds" + NL);
    }

    @Test
    void luksKeysAreShownBesideTheOthersWithTheirKindAndAPendingOneMarked() {
        server.respond("GET", KEYS_PATH, 200, q("[{'volumeId':'8d1c2b3a-4e5f','volumeLabel':'/dev/nvme0n1p3',"
                + "'protectorId':'castellan-2f1e','recoveryKey':'amber-otter-seven','escrowedAt':'2026-12-01T08:00:00Z',"
                + "'removedAt':null,'kind':'luks'},"
                + "{'volumeId':'8d1c2b3a-4e5f','volumeLabel':'/dev/nvme0n1p3','protectorId':'castellan-9a9a',"
                + "'recoveryKey':'basil-canyon-nine','escrowedAt':'2026-12-02T08:00:00Z','removedAt':null,'kind':'luks',"
                + "'pending':true},"
                + "{'volumeId':'v','volumeLabel':'D:','protectorId':'{0D0D0D0D-0000}','recoveryKey':'" + OLD_KEY + "',"
                + "'escrowedAt':'2026-10-01T08:00:00Z','removedAt':null}]"));

        CliRunner.Result result = cli.run("recovery-key", "get", "pc042");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout().lines().findFirst().orElseThrow()).endsWith("REMOVED  KIND");
        assertThat(result.stdout()).containsPattern("castellan-2f1e +amber-otter-seven .* luks\\n")
                .containsPattern("castellan-9a9a +basil-canyon-nine .* luks \\(pending: slot not yet verified\\)")
                .contains(OLD_KEY);
    }

    @Test
    void policySetSendsTheLuksSettings() {
        server.respond("GET", "/api/v1/policies/default", 200, q("{'account':'root','length':20}"));
        server.respond("PUT", "/api/v1/policies/default", 200, q("{'account':'root','luksEnabled':true}"));

        CliRunner.Result result = cli.run("policy", "set", "--luks", "true", "--luks-unlock-key-file", "/etc/castellan/luks.key",
                "--luks-max-age-days", "90");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(server.lastRequest("PUT", "/api/v1/policies/default").body())
                .contains("\"luksEnabled\":true", "\"luksUnlockKeyFile\":\"/etc/castellan/luks.key\"", "\"luksMaxAgeDays\":90");
    }
}
