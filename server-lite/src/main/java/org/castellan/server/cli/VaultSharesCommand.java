package org.castellan.server.cli;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.castellan.server.audit.AuditActions;
import org.castellan.server.config.ConfigResolver;
import org.castellan.server.db.DatabaseTarget;
import org.castellan.server.vault.Vault;
import org.castellan.server.vault.VaultKeyFiles;
import org.castellan.server.vault.VaultShares;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vault shares --split K-of-N}: prints N recovery shares of every vault private key, once
 * (they are stored nowhere). Audited as {@code vault.shares-split} before anything is printed.
 * Exit 0 printed; 1 failed; 2 usage.
 */
@Command(name = "shares", mixinStandardHelpOptions = true,
        description = "Print K-of-N recovery shares of the vault private keys (shown once; give each to a "
                + "different custodian). 'vault recover' rebuilds the keys from any K of them.")
final class VaultSharesCommand implements Callable<Integer> {
    private static final Pattern SPLIT = Pattern.compile("([0-9]{1,2})-of-([0-9]{1,2})");

    @Option(names = "--data", paramLabel = "DIR", description = "Data directory (env CASTELLAN_DATA; default ./castellan-data).")
    String data;

    @picocli.CommandLine.Mixin
    ToolDatabaseOptions databaseOptions = new ToolDatabaseOptions();

    @Option(names = "--split", paramLabel = "K-of-N", required = true, description = "How many shares (N, at most "
            + VaultShares.MAX_SHARES + ") and how many of them rebuild the keys (K, at least 2), e.g. 3-of-5.")
    String split;

    @Override
    public Integer call() throws Exception {
        Matcher m = SPLIT.matcher(split == null ? "" : split.strip());
        int k = m.matches() ? Integer.parseInt(m.group(1)) : -1;
        int n = m.matches() ? Integer.parseInt(m.group(2)) : -1;
        if (k < 2 || n < k || n > VaultShares.MAX_SHARES) {
            System.err.println("castellan-server: --split must be K-of-N with 2 <= K <= N <= " + VaultShares.MAX_SHARES
                    + ", e.g. 3-of-5");
            return 2;
        }
        ConfigResolver resolver = new ConfigResolver(System.getenv());
        Path dir = resolver.dataDir(data);
        DatabaseTarget target;
        try {
            target = databaseOptions.target(resolver);
        } catch (IllegalArgumentException e) {
            System.err.println("castellan-server: " + e.getMessage());
            return 2;
        }
        Vault vault;
        try {
            vault = new VaultKeyFiles(dir).load();
        } catch (java.io.IOException e) {
            System.err.println("castellan-server: cannot read the vault keys in " + dir.resolve("vault") + ": "
                    + e.getMessage());
            return 1;
        }
        VaultShares.Split shares = VaultShares.split(vault, k, n, new SecureRandom());
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("operator", System.getProperty("user.name"));
        detail.put("keySet", shares.keysetId());
        detail.put("set", shares.setId());
        detail.put("k", k);
        detail.put("n", n);
        detail.put("vaultKeys", vault.keyIds());
        try {
            ToolAudit.record(dir, target, AuditActions.VAULT_SHARES_SPLIT, "ok", detail);
        } catch (java.io.IOException e) {
            System.err.println("castellan-server: " + e.getMessage() + "; no shares were printed");
            return 1;
        }
        System.out.println("Vault recovery shares: any " + k + " of these " + n + " rebuild every vault key (key set "
                + shares.keysetId() + ": " + vault.keyIds() + ", current " + vault.current().keyId() + "; set "
                + shares.setId() + ").");
        System.out.println("They are shown once and stored nowhere: give each to a different custodian now. "
                + "After 'vault rotate', split again (this set does not hold the new key).");
        for (int i = 0; i < n; i++) {
            System.out.println();
            System.out.println("Share " + (i + 1) + " of " + n + " (any " + k + " recover; key set " + shares.keysetId()
                    + "):");
            System.out.println(shares.shares().get(i));
        }
        System.out.flush();
        return 0;
    }
}
