package org.castellan.server.vault;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.castellan.protocol.envelope.VaultKeyPair;
import org.castellan.server.db.Database;

/**
 * The vault keys of a cluster of nodes on one shared database ({@code cluster_vault_keys}, V74:
 * public halves only). Checked at each node's start, under the start-up lock: a key this node has
 * and the cluster does not is added (the first node; the node {@code vault rotate} ran on); a key
 * the cluster has and this node lacks, or holds under the same id with another public key, stops
 * the start. Without this, a node given no copy of {@code DIR/vault/} would make a vault of its own
 * and escrow passwords the other nodes cannot reveal.
 */
public final class SharedVaultKeys {
    private SharedVaultKeys() {}

    /** Refused: this node's vault is not the cluster's. */
    public static final class Mismatch extends java.io.IOException {
        Mismatch(String message) {
            super(message);
        }
    }

    /** @throws Mismatch naming the keys and what to copy */
    public static void check(Database db, Vault vault, java.nio.file.Path vaultDir, Instant now) throws Mismatch {
        Map<String, String> cluster = db.read(c -> {
            Map<String, String> keys = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT key_id, public_key FROM cluster_vault_keys");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.put(rs.getString(1), rs.getString(2));
                }
            }
            return keys;
        });
        List<String> problems = new ArrayList<>();
        List<VaultKeyPair> added = new ArrayList<>();
        for (String keyId : vault.keyIds()) {
            VaultKeyPair pair = vault.key(keyId).orElseThrow();
            String known = cluster.get(keyId);
            if (known == null) {
                added.add(pair);
            } else if (!known.equals(pair.publicKey().publicKey())) {
                problems.add("vault key " + keyId + " differs from the other nodes'");
            }
        }
        for (String keyId : cluster.keySet()) {
            if (vault.key(keyId).isEmpty()) {
                problems.add("vault key " + keyId + " that the other nodes use is missing here");
            }
        }
        if (!problems.isEmpty()) {
            throw new Mismatch("this node's vault (" + vaultDir + ") is not the cluster's: " + String.join("; ", problems)
                    + ". Copy " + vaultDir.getFileName() + "/ from a node that runs (every node needs the same vault"
                    + " keys), then start again");
        }
        if (!added.isEmpty()) {
            db.write(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO cluster_vault_keys (key_id, public_key, added_at) VALUES (?, ?, ?)")) {
                    for (VaultKeyPair pair : added) {
                        ps.setString(1, pair.keyId());
                        ps.setString(2, pair.publicKey().publicKey());
                        ps.setLong(3, now.toEpochMilli());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                return null;
            });
        }
    }
}
