package org.castellan.server.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.castellan.server.audit.AuditActions;
import org.castellan.server.backup.SqliteDatabasePart;
import org.castellan.server.db.Database;
import org.castellan.server.db.DatabaseTarget;
import org.castellan.server.db.StorageException;
import org.castellan.server.config.ConfigResolver;
import org.castellan.server.vault.Vault;
import org.castellan.server.vault.VaultKeyFiles;
import org.castellan.server.vault.VaultShares;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vault recover}: rebuilds {@code DIR/vault/} from any K recovery shares read on standard
 * input, when the vault directory is gone. Fewer than K shares, shares of different splits or a
 * changed share: a clear error and nothing written. Audited as {@code vault.recover}. Exit 0
 * rebuilt; 1 refused; 2 usage.
 */
@Command(name = "recover", mixinStandardHelpOptions = true,
        description = "Rebuild the vault keys from K recovery shares read on standard input (one per line; "
                + "other lines are ignored). Only when DIR/vault does not exist.")
final class VaultRecoverCommand implements Callable<Integer> {
    @Option(names = "--data", paramLabel = "DIR", description = "Data directory (env CASTELLAN_DATA; default ./castellan-data).")
    String data;

    @picocli.CommandLine.Mixin
    ToolDatabaseOptions databaseOptions = new ToolDatabaseOptions();

    /** Key ids that stored envelopes name but the rebuilt vault lacks. */
    static List<String> keysNotRecovered(Path dir, DatabaseTarget target, Vault vault) throws IOException {
        if (!target.embedded()) {
            try (Database db = Database.open(dir, target)) {
                return db.read(c -> keysNotRecovered(c, vault));
            } catch (StorageException e) {
                throw new IOException("cannot read the database to check the rebuilt keys: " + e.getMessage(), e);
            }
        }
        try (Connection c = SqliteDatabasePart.connect(dir)) {
            return keysNotRecovered(c, vault);
        } catch (SQLException e) {
            throw new IOException("cannot read the database to check the rebuilt keys: " + e.getMessage(), e);
        }
    }

    private static List<String> keysNotRecovered(Connection c, Vault vault) throws SQLException {
        List<String> missing = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT vault_key_id FROM rotations UNION "
                     + "SELECT vault_key_id FROM recovery_keys");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                if (vault.key(rs.getString(1)).isEmpty()) {
                    missing.add(rs.getString(1));
                }
            }
        }
        return missing;
    }

    @Override
    public Integer call() throws IOException {
        ConfigResolver resolver = new ConfigResolver(System.getenv());
        Path dir = resolver.dataDir(data);
        DatabaseTarget target;
        try {
            target = databaseOptions.target(resolver);
        } catch (IllegalArgumentException e) {
            System.err.println("castellan-server: " + e.getMessage());
            return 2;
        }
        VaultKeyFiles files = new VaultKeyFiles(dir);
        if (Files.exists(files.dir())) {
            System.err.println("castellan-server: the vault directory " + files.dir() + " exists; recover rebuilds a "
                    + "lost vault only (move it away first if it is damaged)");
            return 1;
        }
        String input = new String(System.in.readNBytes(1 << 20), StandardCharsets.UTF_8);
        VaultShares.Recovered recovered;
        try {
            recovered = VaultShares.recover(input);
        } catch (VaultShares.ShareException e) {
            System.err.println("castellan-server: vault NOT recovered: " + e.getMessage());
            return 1;
        }
        boolean audited = !target.embedded() || Files.exists(dir.resolve(Database.FILE_NAME));
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("operator", System.getProperty("user.name"));
        detail.put("keySet", recovered.keysetId());
        detail.put("set", recovered.setId());
        detail.put("sharesUsed", recovered.used());
        detail.put("vaultKeys", recovered.vault().keyIds());
        if (audited) {
            try {
                ToolAudit.record(dir, target, AuditActions.VAULT_RECOVER, "ok", detail);
            } catch (IOException e) {
                System.err.println("castellan-server: " + e.getMessage() + "; the vault was not written");
                return 1;
            }
        }
        org.castellan.server.files.SecureFiles.createPrivateDirectory(dir);
        files.writeRecovered(recovered.vault());
        System.out.println("Vault rebuilt in " + files.dir() + " from shares " + recovered.used() + " of set "
                + recovered.setId() + ": key set " + recovered.keysetId() + ", keys " + recovered.vault().keyIds()
                + ", current " + recovered.vault().current().keyId() + ".");
        if (audited) {
            List<String> missing = keysNotRecovered(dir, target, recovered.vault());
            if (!missing.isEmpty()) {
                System.out.println("WARNING: secrets in the database are sealed to vault keys " + missing + ", which this"
                        + " share set does not hold (it was split before 'vault rotate' made them): those stay"
                        + " unreadable. Recover with a newer share set or restore a backup.");
            }
        }
        if (!audited) {
            System.out.println("Note: no database in " + dir + ", so this recovery is not in an audit log; restore the"
                    + " database (castellan-server restore) before starting the server.");
        }
        return 0;
    }
}
