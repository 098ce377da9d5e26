package org.castellan.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import org.castellan.protocol.Json;
import org.castellan.protocol.messages.VaultKey;

/**
 * What {@code seed} wrote, for {@code load}: how many devices (indexes {@code 0..devices-1} of
 * {@link FleetLayout}), the fleet's secret seed (hex; the file is 0600), every {@code realEvery}-th
 * device holding a decryptable current password, the history length, and the vault public key the
 * load phase seals new passwords to.
 */
record FleetManifest(long devices, String seedHex, int realEvery, int history, VaultKey vaultKey) {
    FleetLayout layout() {
        return new FleetLayout(HexFormat.of().parseHex(seedHex));
    }

    boolean real(long i) {
        return i % realEvery == 0;
    }

    static FleetManifest read(Path file) throws IOException {
        return Json.tolerant().readValue(file.toFile(), FleetManifest.class);
    }

    void write(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(tmp, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
