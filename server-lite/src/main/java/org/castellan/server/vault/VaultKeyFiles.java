package org.castellan.server.vault;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.castellan.protocol.envelope.VaultKeyPair;
import org.castellan.server.files.SecureFiles;

/**
 * The vault private keys, kept apart from the database (promise 2) in {@code DIR/vault/}: one
 * 0600 file per key, {@code <keyId>.key} holding the raw X25519 private key in base64, and
 * {@code current} naming the key new escrows are sealed to.
 */
public final class VaultKeyFiles {
    private static final String SUFFIX = ".key";
    private final Path dir;

    public VaultKeyFiles(Path dataDir) {
        this.dir = dataDir.resolve("vault");
    }

    public Path dir() {
        return dir;
    }

    public Vault loadOrCreate(SecureRandom random) throws IOException {
        if (!Files.exists(dir.resolve("current"))) {
            SecureFiles.createPrivateDirectory(dir);
            String keyId = writeNewKey(random);
            SecureFiles.writeNew(dir.resolve("current"), keyId.getBytes(StandardCharsets.US_ASCII));
        }
        return load();
    }

    /** Makes a new current key; the old ones stay so their envelopes still open. */
    public String rotate(SecureRandom random) throws IOException {
        if (!Files.exists(dir.resolve("current"))) {
            throw new IOException("no vault in " + dir + " (start the server once first)");
        }
        String keyId = writeNewKey(random);
        SecureFiles.replace(dir.resolve("current"), keyId.getBytes(StandardCharsets.US_ASCII));
        return keyId;
    }

    public Vault load() throws IOException {
        String currentId = Files.readString(dir.resolve("current"), StandardCharsets.US_ASCII).trim();
        Map<String, VaultKeyPair> keys = new HashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                String keyId = name.substring(0, name.length() - SUFFIX.length());
                byte[] raw = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).trim());
                try {
                    keys.put(keyId, VaultKeyPair.fromPrivateKey(keyId, raw));
                } finally {
                    Arrays.fill(raw, (byte) 0);
                }
            }
        } catch (IllegalArgumentException e) {
            throw new IOException("a vault key file in " + dir + " is damaged", e);
        }
        return new Vault(keys, currentId);
    }

    /**
     * Writes a whole vault rebuilt elsewhere (from recovery shares) into a vault directory that does
     * not exist yet: into a private staging directory first, renamed into place when complete.
     */
    public void writeRecovered(Vault vault) throws IOException {
        if (Files.exists(dir)) {
            throw new IOException("the vault directory " + dir + " exists already; move it away first");
        }
        Path staging = dir.resolveSibling("vault.recover-tmp");
        if (Files.exists(staging)) {
            try (DirectoryStream<Path> left = Files.newDirectoryStream(staging)) {
                for (Path p : left) {
                    Files.delete(p);
                }
            }
            Files.delete(staging);
        }
        SecureFiles.createPrivateDirectory(staging);
        for (String keyId : vault.keyIds()) {
            byte[] raw = vault.key(keyId).orElseThrow().privateKeyBytes();
            byte[] encoded = Base64.getEncoder().encode(raw);
            try {
                SecureFiles.writeNew(staging.resolve(keyId + SUFFIX), encoded);
            } finally {
                Arrays.fill(raw, (byte) 0);
                Arrays.fill(encoded, (byte) 0);
            }
        }
        SecureFiles.writeNew(staging.resolve("current"), vault.current().keyId().getBytes(StandardCharsets.US_ASCII));
        Files.move(staging, dir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private String writeNewKey(SecureRandom random) throws IOException {
        byte[] idBytes = new byte[6];
        random.nextBytes(idBytes);
        String keyId = "vk-" + HexFormat.of().formatHex(idBytes);
        VaultKeyPair pair = VaultKeyPair.generate(keyId, random);
        byte[] raw = pair.privateKeyBytes();
        byte[] encoded = Base64.getEncoder().encode(raw);
        try {
            SecureFiles.writeNew(dir.resolve(keyId + SUFFIX), encoded);
        } finally {
            Arrays.fill(raw, (byte) 0);
            Arrays.fill(encoded, (byte) 0);
        }
        return keyId;
    }
}
