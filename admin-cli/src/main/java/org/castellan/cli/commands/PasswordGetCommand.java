package org.castellan.cli.commands;

import org.castellan.cli.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code castellan password get HOSTNAME}: prints the password alone on stdout, so scripts can
 * capture it; anything a person should know (a pending rotation) goes to stderr.
 */
@Command(name = "get", description = {"Print a device's current local admin password, alone on stdout.",
        "When the device has only a pending (escrowed, not yet confirmed) password, prints the newest pending one"
                + " with a warning on stderr. -o json prints the full answer, pending passwords included."})
final class PasswordGetCommand extends ApiCommand {
    @Mixin
    DeviceTarget target;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why you need it (recorded in the audit log; rules may require it).")
    String reason;

    @Override
    protected void run(Session session) {
        PasswordGet.get(session, target.hostname, target.deviceId, reason);
    }
}
