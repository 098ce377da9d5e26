package org.castellan.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import org.castellan.cli.CliException;
import org.castellan.cli.Session;
import org.castellan.cli.http.ApiResponse;
import org.castellan.cli.http.Endpoint;
import org.castellan.cli.output.Table;
import org.castellan.cli.output.Values;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code castellan password history HOSTNAME}: every escrowed password of the device, newest first. */
@Command(name = "history", description = "List a device's escrowed passwords, newest first (each read is audited).")
final class PasswordHistoryCommand extends ApiCommand {
    @Mixin
    DeviceTarget target;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why you need it (recorded in the audit log).")
    String reason;

    @Override
    protected void run(Session session) {
        DeviceTarget.Device device = target.resolve(session);
        String context = "get password history for " + device.hostname();
        ApiResponse response = session.api().get(context,
                Endpoint.of("devices", device.id(), "password", "history").query("reason", reason));
        try {
            JsonNode history = response.tree();
            if (session.output().json()) {
                session.output().printJson(history);
                return;
            }
            if (!history.isArray()) {
                throw new CliException(CliException.FAILED, context + ": the server's answer is not a list");
            }
            Table table = Table.withColumns("ROTATION", "ACCOUNT", "STATE", "ESCROWED", "COMMITTED", "PASSWORD");
            history.forEach(entry -> table.row(Values.text(entry, "rotationId"), Values.text(entry, "account"),
                    Values.text(entry, "state"), Values.text(entry, "escrowedAt"), Values.text(entry, "committedAt"),
                    Values.text(entry, "password")));
            session.output().printTable(table);
        } finally {
            response.wipe();
        }
    }
}
