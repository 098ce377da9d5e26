package org.castellan.cli.commands;

import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import org.castellan.api.PasswordReveal;
import org.castellan.cli.CliException;
import org.castellan.cli.Session;
import org.castellan.cli.http.ApiResponse;
import org.castellan.cli.http.Endpoint;
import org.castellan.cli.output.Output;

/**
 * What {@code castellan password get} does once its arguments are known. Apart from the picocli
 * command ({@link PasswordGetCommand}) so that the fast path loads no picocli class: loading a
 * command class checks its superclass {@code ApiCommand}, which throws picocli's exceptions.
 */
final class PasswordGet {
    private PasswordGet() {}

    /** The command's work, given its arguments (what {@link PasswordGetCommand} and {@link PasswordGetFastPath} run). */
    static void get(Session session, String hostname, String deviceId, String reason) {
        DeviceTarget.Device device = DeviceTarget.byHostname(session, hostname, deviceId);
        String context = "get password for " + device.hostname();
        ApiResponse response = session.api().get(context,
                Endpoint.of("devices", device.id(), "password").query("reason", reason));
        try {
            if (session.output().json()) {
                session.output().printJson(response.tree());
                return;
            }
            PasswordReveal reveal = response.read(PasswordReveal.class, PasswordRevealReader::read);
            try {
                print(reveal, device, session.output());
            } finally {
                reveal.wipe();
            }
        } finally {
            response.wipe();
        }
    }

    /** The most recently escrowed pending password: the one a device that crashed mid-rotation most likely set. */
    static Optional<PasswordReveal.Pending> newestPending(PasswordReveal reveal) {
        return reveal.pendingOrEmpty().stream().filter(p -> p.password() != null)
                .max(Comparator.comparing(p -> p.escrowedAt() == null ? Instant.EPOCH : p.escrowedAt()));
    }

    private static void print(PasswordReveal reveal, DeviceTarget.Device device, Output output) {
        int pendingCount = reveal.pendingOrEmpty().size();
        if (reveal.password() != null) {
            output.printSecret(reveal.password());
            if (pendingCount > 0) {
                output.note("note: " + device.hostname() + " also has " + pendingCount + " pending password"
                        + (pendingCount == 1 ? "" : "s") + " (escrowed, not confirmed set by the device); if the password"
                        + " above does not work, see them with: castellan password get " + device.hostname() + " -o json");
            }
            return;
        }
        PasswordReveal.Pending newest = newestPending(reveal).orElseThrow(() -> new CliException(CliException.FAILED,
                "get password for " + device.hostname() + ": the server has no password for this device yet"));
        output.printSecret(newest.password());
        output.warn("no confirmed password for " + device.hostname() + "; printed the newest pending password (rotation "
                + newest.rotationId() + ", account " + newest.account() + ", escrowed " + newest.escrowedAt()
                + "), which may be in use: the device escrowed it but has not confirmed setting it"
                + (pendingCount > 1 ? "; " + (pendingCount - 1) + " older pending password(s) in -o json" : ""));
    }
}
