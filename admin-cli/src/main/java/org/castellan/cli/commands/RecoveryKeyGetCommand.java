package org.castellan.cli.commands;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.castellan.api.RecoveryKey;
import org.castellan.cli.CliException;
import org.castellan.cli.Host;
import org.castellan.cli.Session;
import org.castellan.cli.http.ApiResponse;
import org.castellan.cli.http.Endpoint;
import org.castellan.cli.output.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code castellan recovery-key get HOSTNAME} or {@code --key-id PREFIX}: a table of
 * VOLUME PROTECTOR-ID RECOVERY-KEY (current keys first, then removed ones; a KIND column when LUKS
 * keys are among them, marking a pending one); {@code -q} prints the
 * keys alone, one per line: the device's current keys, or every key matching the prefix.
 */
@Command(name = "get", description = {"Print a device's escrowed recovery keys (each read is audited).",
        "Give the device's HOSTNAME, or --key-id with the first 8+ characters of the key ID that BitLocker's"
                + " recovery screen shows. -q prints the keys alone, one per line."})
final class RecoveryKeyGetCommand extends ApiCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "HOSTNAME", description = "The device's host name.")
    String hostname;

    @Option(names = "--device-id", paramLabel = "ID", description = "Pick this device when several have the host name.")
    String deviceId;

    @Option(names = "--key-id", paramLabel = "PREFIX",
            description = "Find the key by its protector id (at least 8 hex characters; braces and case ignored).")
    String keyId;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why you need it (recorded in the audit log; rules may require it).")
    String reason;

    @Option(names = {"-q", "--key-only"}, description = "Print only the recovery keys, one per line.")
    boolean keyOnly;

    @Override
    protected void validate(Host host) {
        if ((hostname == null) == (keyId == null)) {
            throw new ParameterException(spec.commandLine(), "give either a HOSTNAME or --key-id PREFIX");
        }
        if (keyId != null) {
            if (deviceId != null) {
                throw new ParameterException(spec.commandLine(), "--device-id goes with a HOSTNAME, not --key-id");
            }
            keyId = keyId.strip().replace("{", "").replace("}", "");
            if (!keyId.matches("[0-9A-Fa-f]{8}[0-9A-Fa-f-]*")) {
                throw new ParameterException(spec.commandLine(), "--key-id must start with at least 8 hex characters"
                        + " of the key ID (as BitLocker's recovery screen shows it)");
            }
        }
    }

    @Override
    protected void run(Session session) {
        boolean byKey = keyId != null;
        String context;
        Endpoint endpoint;
        if (byKey) {
            context = "get recovery keys with key id " + keyId;
            endpoint = Endpoint.of("recovery-keys").query("keyId", keyId).query("reason", reason);
        } else {
            DeviceTarget.Device device = DeviceTarget.byHostname(session, hostname, deviceId);
            context = "get recovery keys for " + device.hostname();
            endpoint = Endpoint.of("devices", device.id(), "recovery-keys").query("reason", reason);
        }
        ApiResponse response = session.api().get(context, endpoint);
        try {
            if (session.output().json()) {
                session.output().printJson(response.tree());
                return;
            }
            List<RecoveryKey> keys = Arrays.asList(response.read(RecoveryKey[].class));
            try {
                print(session, context, byKey, keys);
            } finally {
                keys.forEach(RecoveryKey::wipe);
            }
        } finally {
            response.wipe();
        }
    }

    private void print(Session session, String context, boolean byKey, List<RecoveryKey> keys) {
        if (keys.isEmpty()) {
            throw new CliException(CliException.FAILED, context + ": " + (byKey
                    ? "no recovery key you may read matches" : "no recovery key has been escrowed for this device"));
        }
        if (keyOnly) {
            // By host name: the keys that unlock the volumes now; by key id: every match, the key wanted may be an old one.
            List<RecoveryKey> shown = byKey ? keys : keys.stream().filter(RecoveryKey::current).toList();
            if (shown.isEmpty()) {
                throw new CliException(CliException.FAILED, context + ": the device has only removed keys; see them"
                        + " without -q");
            }
            shown.stream().filter(key -> key.recoveryKey() != null).forEach(key -> session.output().printSecret(key.recoveryKey()));
            if (shown.size() < keys.size()) {
                session.output().note((keys.size() - shown.size()) + " removed key(s) not printed; see them without -q");
            }
            return;
        }
        // KIND only when a LUKS key is among them, so BitLocker/FileVault tables look as before.
        boolean kinds = keys.stream().anyMatch(k -> k.kind() != null);
        Table table = byKey ? Table.withColumns("VOLUME", "PROTECTOR-ID", "RECOVERY-KEY", "ESCROWED", "REMOVED", "HOSTNAME", "DEVICE")
                : kinds ? Table.withColumns("VOLUME", "PROTECTOR-ID", "RECOVERY-KEY", "ESCROWED", "REMOVED", "KIND")
                : Table.withColumns("VOLUME", "PROTECTOR-ID", "RECOVERY-KEY", "ESCROWED", "REMOVED");
        for (RecoveryKey key : keys) {
            // Table cells are Strings: the text table is the one place a key becomes one.
            String secret = key.recoveryKey() == null ? null : key.recoveryKey().reveal();
            if (byKey) {
                table.row(volume(key), key.protectorId(), secret, text(key.escrowedAt()), text(key.removedAt()),
                        key.hostname(), key.deviceId());
            } else if (kinds) {
                table.row(volume(key), key.protectorId(), secret, text(key.escrowedAt()), text(key.removedAt()),
                        key.kind() == null ? null : key.kind() + (key.pending() ? " (pending: slot not yet verified)" : ""));
            } else {
                table.row(volume(key), key.protectorId(), secret, text(key.escrowedAt()), text(key.removedAt()));
            }
        }
        session.output().printTable(table);
    }

    /** The volume as people know it: its label (C:) when it has one, else its id. */
    private static String volume(RecoveryKey key) {
        return key.volumeLabel() != null && !key.volumeLabel().isBlank() ? key.volumeLabel()
                : key.volumeId() == null ? "-" : key.volumeId();
    }

    private static String text(Instant at) {
        return at == null ? null : at.toString();
    }
}
