package org.castellan.server.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.castellan.server.audit.AuditActions;
import org.castellan.server.db.Database;
import org.castellan.server.config.ConfigResolver;
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

    @Override
    public Integer call() throws IOException {
        Path dir = new ConfigResolver(System.getenv()).dataDir(data);
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
        boolean audited = Files.exists(dir.resolve(Database.FILE_NAME));
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("operator", System.getProperty("user.name"));
        detail.put("keySet", recovered.keysetId());
        detail.put("set", recovered.setId());
        detail.put("sharesUsed", recovered.used());
        detail.put("vaultKeys", recovered.vault().keyIds());
        if (audited) {
            try {
                ToolAudit.record(dir, AuditActions.VAULT_RECOVER, "ok", detail);
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
        if (!audited) {
            System.out.println("Note: no database in " + dir + ", so this recovery is not in an audit log; restore the"
                    + " database (castellan-server restore) before starting the server.");
        }
        return 0;
    }
}
