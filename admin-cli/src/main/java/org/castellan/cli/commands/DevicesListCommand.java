package org.castellan.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import org.castellan.cli.Session;
import org.castellan.cli.http.Endpoint;
import org.castellan.cli.output.Table;
import org.castellan.cli.output.Values;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code castellan devices list [--hostname H] [--deleted]}: every page of devices the caller may see. */
@Command(name = "list", description = "List registered devices (--deleted: deleted ones whose secrets are not purged yet).")
final class DevicesListCommand extends ApiCommand {
    @Option(names = "--hostname", paramLabel = "NAME", description = "Only devices with this host name.")
    String hostname;

    @Option(names = "--deleted", description = "List deleted devices instead: their secrets stay readable until purged.")
    boolean deleted;

    @Override
    protected void run(Session session) {
        JsonNode devices = Pages.all(session, "list devices",
                cursor -> Endpoint.of("devices").query("hostname", hostname).query("deleted", deleted ? "true" : null)
                        .query("after", cursor));
        if (session.output().json()) {
            session.output().printJson(devices);
            return;
        }
        if (deleted) {
            Table table = Table.withColumns("ID", "HOSTNAME", "OS", "ACCOUNT", "DELETED", "PURGE AFTER");
            devices.forEach(device -> table.row(Values.text(device, "id"), Values.text(device, "hostname"),
                    Values.joined(device, "os", "osVersion"), Values.text(device, "account"),
                    Values.text(device, "deletedAt"), Values.text(device, "purgeAfter")));
            session.output().printTable(table);
            return;
        }
        Table table = Table.withColumns("ID", "HOSTNAME", "STATUS", "OS", "AGENT", "ACCOUNT", "LAST SEEN", "ROTATED",
                "PENDING", "WARNINGS");
        devices.forEach(device -> table.row(Values.text(device, "id"), Values.text(device, "hostname"),
                Values.text(device, "status"),
                Values.joined(device, "os", "osVersion"), Values.text(device, "agentVersion"),
                Values.text(device, "account"), Values.text(device, "lastSeenAt"),
                Values.text(device, "passwordRotatedAt"), Values.text(device, "pendingRotation"),
                Values.text(device, "warnings")));
        session.output().printTable(table);
    }
}
