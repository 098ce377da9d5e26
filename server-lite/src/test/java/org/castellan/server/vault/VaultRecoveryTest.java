package org.castellan.server.vault;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.castellan.server.CastellanServer;
import org.castellan.server.testing.Cli;
import org.castellan.server.testing.OnPostgres;
import org.castellan.server.testing.TestAgent;
import org.castellan.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vault directory lost: rebuilt from K recovery shares with the real CLI, and the real server
 * reveals the passwords escrowed before (to the old key and to the current one) again.
 */
class VaultRecoveryTest {
    @TempDir
    Path dataDir;

    @Test
    void sharesRebuildADeletedVaultAndOldPasswordsRevealAgain() throws Exception {
        TestAgent first;
        TestAgent second;
        String token;
        try (TestServer server = TestServer.start(dataDir)) {
            token = server.adminToken;
            first = new TestAgent(server).registered();
            String r1 = UUID.randomUUID().toString();
            first.escrow("root", r1, "Sealed-To-The-First-Key-1");
            first.commit(r1);
        }
        assertThat(Cli.run(null, "vault", "rotate", "--data", dataDir.toString()).code()).isZero();
        List<String> shares;
        try (TestServer server = TestServer.attach(CastellanServer.start(TestServer.config(dataDir)),
                dataDir, token)) {
            second = new TestAgent(server).registered();
            String r2 = UUID.randomUUID().toString();
            second.escrow("root", r2, "Sealed-To-The-Second-Key-2");
            second.commit(r2);
            assertThat(second.vaultKey.keyId()).isNotEqualTo(first.vaultKey.keyId());

            Cli.Run split = Cli.run(null, tool("vault", "shares", "--split", "2-of-3"));
            assertThat(split.code()).as(split.describe()).isZero();
            shares = split.out().lines().filter(l -> l.startsWith("castellan-vault-share:")).toList();
            assertThat(shares).hasSize(3);
            assertThat(split.out()).contains("any 2 of these 3");
            server.server.drainToolAuditNow();
            JsonNode audited = server.get("/api/v1/audit?action=vault.shares-split").json();
            assertThat(audited).hasSize(1);
        }
        assertThat(Cli.run(null, tool("vault", "shares", "--split", "1-of-3")).code())
                .isEqualTo(2);

        deleteTree(dataDir.resolve("vault"));

        Cli.Run tooFew = Cli.run(shares.get(0) + "\n", tool("vault", "recover"));
        assertThat(tooFew.code()).isEqualTo(1);
        assertThat(tooFew.err()).contains("2 are needed");
        assertThat(dataDir.resolve("vault")).doesNotExist();

        String share3 = shares.get(2);
        int at = share3.length() - 70;
        String changed = share3.substring(0, at) + (share3.charAt(at) == 'A' ? 'B' : 'A') + share3.substring(at + 1);
        Cli.Run tampered = Cli.run(shares.get(0) + "\n" + changed + "\n", tool("vault", "recover"));
        assertThat(tampered.code()).isEqualTo(1);
        assertThat(tampered.err()).contains("vault NOT recovered");
        assertThat(dataDir.resolve("vault")).doesNotExist();

        Cli.Run recovered = Cli.run("Share 3 of 3:\n" + shares.get(2) + "\nShare 1 of 3:\n" + shares.get(0) + "\n",
                tool("vault", "recover"));
        assertThat(recovered.code()).as(recovered.describe()).isZero();
        assertThat(recovered.out()).doesNotContain("WARNING");
        assertThat(Cli.run(shares.get(1) + "\n" + shares.get(0), tool("vault", "recover")).code())
                .as("never over an existing vault").isEqualTo(1);

        try (TestServer server = TestServer.attach(CastellanServer.start(TestServer.config(dataDir)),
                dataDir, token)) {
            assertThat(server.get("/api/v1/devices/" + first.deviceId + "/password").json().get("password").asText())
                    .isEqualTo("Sealed-To-The-First-Key-1");
            assertThat(server.get("/api/v1/devices/" + second.deviceId + "/password").json().get("password").asText())
                    .isEqualTo("Sealed-To-The-Second-Key-2");
            JsonNode checkIn = second.on(server).checkIn("root").json();
            assertThat(checkIn.get("vaultKey").get("keyId").asText()).as("the current key is current again")
                    .isEqualTo(second.vaultKey.keyId());
            JsonNode recoveries = server.get("/api/v1/audit?action=vault.recover").json();
            assertThat(recoveries).hasSize(1);
            assertThat(recoveries.get(0).get("detail").asText()).contains("\"sharesUsed\":[1,3]");
        }
        assertThat(Cli.run(null, tool("audit", "verify")).code()).isZero();
    }

    static void deleteTree(Path root) throws Exception {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    void sharesSplitBeforeARotationSayWhichSecretsStayUnreadable() throws Exception {
        TestAgent agent;
        String token;
        List<String> shares;
        try (TestServer server = TestServer.start(dataDir)) {
            token = server.adminToken;
            Cli.Run split = Cli.run(null, tool("vault", "shares", "--split", "2-of-2"));
            assertThat(split.code()).as(split.describe()).isZero();
            shares = split.out().lines().filter(l -> l.startsWith("castellan-vault-share:")).toList();
        }
        assertThat(Cli.run(null, "vault", "rotate", "--data", dataDir.toString()).code()).isZero();
        String newKey;
        try (TestServer server = TestServer.attach(CastellanServer.start(TestServer.config(dataDir)),
                dataDir, token)) {
            agent = new TestAgent(server).registered();
            newKey = agent.vaultKey.keyId();
            String rotation = UUID.randomUUID().toString();
            agent.escrow("root", rotation, "Sealed-To-The-New-Key");
            agent.commit(rotation);
        }
        deleteTree(dataDir.resolve("vault"));
        Cli.Run recovered = Cli.run(String.join("\n", shares), tool("vault", "recover"));
        assertThat(recovered.code()).as(recovered.describe()).isZero();
        assertThat(recovered.out()).contains("WARNING").contains(newKey).contains("newer share set");
    }

    /** A {@code castellan-server} tool on {@link #dataDir}: {@code --data DIR}, and on PostgreSQL its database. */
    private String[] tool(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("--data", dataDir.toString()));
        all.addAll(OnPostgres.toolArguments(dataDir));
        return all.toArray(String[]::new);
    }
}
