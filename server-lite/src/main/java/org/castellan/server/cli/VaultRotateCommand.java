package org.castellan.server.cli;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import org.castellan.server.config.ConfigResolver;
import org.castellan.server.vault.VaultKeyFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vault rotate}: makes a new current vault key. Old keys stay, so existing envelopes
 * still open; agents receive the new public key at their next check-in. Restart the server after.
 */
@Command(name = "rotate", mixinStandardHelpOptions = true, description = "Create a new current vault key.")
final class VaultRotateCommand implements Callable<Integer> {
    @Option(names = "--data", paramLabel = "DIR", description = "Data directory (env CASTELLAN_DATA; default ./castellan-data).")
    String data;

    @Override
    public Integer call() throws Exception {
        Path dir = new ConfigResolver(System.getenv()).dataDir(data);
        String keyId = new VaultKeyFiles(dir).rotate(new SecureRandom());
        System.out.println("New current vault key: " + keyId + " (restart the server to use it)");
        return 0;
    }
}
