package org.castellan.agent.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.castellan.agent.identity.IdentityValues;
import org.castellan.agent.spi.MachineIdentity;

/**
 * This machine's identity: systemd's {@code /etc/machine-id} (D-Bus's copy where there is none)
 * and the SMBIOS system UUID ({@code /sys/class/dmi/id/product_uuid}, readable by root; absent in
 * most containers). A cloned VM typically keeps the first and gets a new second; an image copied
 * to another host keeps neither.
 */
final class LinuxMachineIdentity {
    static final String MACHINE_ID = "machine-id";
    static final String PRODUCT_UUID = "product_uuid";

    private final Path[] machineIdFiles;
    private final Path productUuidFile;

    LinuxMachineIdentity() {
        this(new Path[] {Path.of("/etc/machine-id"), Path.of("/var/lib/dbus/machine-id")},
                Path.of("/sys/class/dmi/id/product_uuid"));
    }

    LinuxMachineIdentity(Path[] machineIdFiles, Path productUuidFile) {
        this.machineIdFiles = machineIdFiles.clone();
        this.productUuidFile = productUuidFile;
    }

    MachineIdentity read() {
        Map<String, String> sources = new LinkedHashMap<>();
        for (Path file : machineIdFiles) {
            Optional<String> id = readFile(file).flatMap(LinuxMachineIdentity::parseMachineId);
            if (id.isPresent()) {
                sources.put(MACHINE_ID, id.get());
                break;
            }
        }
        readFile(productUuidFile).flatMap(LinuxMachineIdentity::parseProductUuid)
                .ifPresent(uuid -> sources.put(PRODUCT_UUID, uuid));
        return new MachineIdentity(sources);
    }

    /** machine-id(5): 32 lower-case hex digits and a newline; "uninitialized" during first boot. */
    static Optional<String> parseMachineId(String text) {
        String id = text.strip().toLowerCase(Locale.ROOT);
        return id.matches("[0-9a-f]{32}") && !id.matches("0{32}") ? Optional.of(id) : Optional.empty();
    }

    /** A UUID; firmware placeholders (all zeros, all F) identify nothing and are dropped. */
    static Optional<String> parseProductUuid(String text) {
        return IdentityValues.uuid(text);
    }

    private static Optional<String> readFile(Path file) {
        try {
            return Optional.of(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (IOException | SecurityException e) {
            return Optional.empty(); // Absent or unreadable: this source is left out.
        }
    }
}
