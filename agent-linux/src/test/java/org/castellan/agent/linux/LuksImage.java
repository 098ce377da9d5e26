package org.castellan.agent.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.castellan.testsupport.Prerequisite;

/**
 * A LUKS2 image file made with the real cryptsetup (no device-mapper needed). The KDF is PBKDF2
 * with 1000 iterations to keep each test fast; a real volume uses cryptsetup's default (argon2id).
 */
final class LuksImage {
    static final String CRYPTSETUP = "/usr/sbin/cryptsetup";

    final Path image;
    final Path unlockKey;

    private LuksImage(Path image, Path unlockKey) {
        this.image = image;
        this.unlockKey = unlockKey;
    }

    static void requireCryptsetup() {
        Prerequisite.requireRoot("cryptsetup on image files and a root-owned unlock key file");
        Prerequisite.requireExecutable(CRYPTSETUP, "cryptsetup-bin");
    }

    /** A 20 MiB LUKS2 image whose slot 0 opens with {@code passphrase}, which is also written to a 0600 unlock key file. */
    static LuksImage create(Path dir, String passphrase) throws Exception {
        Path image = dir.resolve("volume.img");
        try (var f = new java.io.RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(20L * 1024 * 1024);
        }
        Run format = run(List.of(CRYPTSETUP, "luksFormat", "--type", "luks2", "--pbkdf", "pbkdf2",
                "--pbkdf-force-iterations", "1000", "--batch-mode", "--key-file", "-", image.toString()), passphrase);
        assertThat(format.exit()).as(format.output()).isZero();
        Path key = dir.resolve("unlock.key");
        Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(key, passphrase);
        return new LuksImage(image, key);
    }

    /** Does {@code passphrase} open key slot {@code slot} (any slot when negative)? */
    boolean opens(String passphrase, int slot) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(CRYPTSETUP, "open", "--test-passphrase"));
        if (slot >= 0) {
            command.addAll(List.of("--key-slot", String.valueOf(slot)));
        }
        command.addAll(List.of("--key-file", "-", image.toString()));
        Run r = run(command, passphrase);
        assertThat(r.exit()).as(r.output()).isIn(0, 2);
        return r.exit() == 0;
    }

    String dump() throws Exception {
        Run r = run(List.of(CRYPTSETUP, "luksDump", "--dump-json-metadata", image.toString()), null);
        assertThat(r.exit()).as(r.output()).isZero();
        return r.output();
    }

    /** The slot-0 key material area, to show it is byte-for-byte untouched. */
    byte[] headerBytes(long from, int length) throws IOException {
        try (var f = new java.io.RandomAccessFile(image.toFile(), "r")) {
            byte[] b = new byte[length];
            f.seek(from);
            f.readFully(b);
            return b;
        }
    }

    record Run(int exit, String output) {}

    static Run run(List<String> command, String stdin) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(command + " timed out");
        }
        return new Run(p.exitValue(), out);
    }
}
