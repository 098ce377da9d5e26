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
        if (!session.output().wide()) {
            // Fits 100 columns: the host name is the handle (every command takes it), times as ages.
            java.time.Instant now = session.host().clock().instant();
            Table narrow = Table.withColumns("HOSTNAME", "STATUS", "OS", "ACCOUNT", "LAST SEEN", "ROTATED", "NOTES");
            devices.forEach(device -> narrow.row(Values.text(device, "hostname"), Values.text(device, "status"),
                    Values.text(device, "os"), Values.text(device, "account"), age(device, "lastSeenAt", now),
                    age(device, "passwordRotatedAt", now), notes(device)));
            session.output().printTable(narrow);
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

    /** {@code 5m ago}, {@code 3h ago}, {@code 2d ago}; {@code -} when never. */
    static String age(JsonNode device, String field, java.time.Instant now) {
        String value = device.path(field).asText(null);
        if (value == null || value.isEmpty() || device.path(field).isNull()) {
            return "-";
        }
        try {
            long seconds = java.time.Duration.between(java.time.Instant.parse(value), now).getSeconds();
            if (seconds < 0) {
                return "just now";
            }
            if (seconds < 60) {
                return seconds + "s ago";
            }
            if (seconds < 3600) {
                return seconds / 60 + "m ago";
            }
            if (seconds < 86_400) {
                return seconds / 3600 + "h ago";
            }
            return seconds / 86_400 + "d ago";
        } catch (java.time.format.DateTimeParseException e) {
            return value;
        }
    }

    private static String notes(JsonNode device) {
        java.util.List<String> notes = new java.util.ArrayList<>();
        if (device.path("pendingRotation").asBoolean(false)) {
            notes.add("pending");
        }
        int warnings = device.path("warnings").size();
        if (warnings > 0) {
            notes.add(warnings + (warnings == 1 ? " warning" : " warnings"));
        }
        return notes.isEmpty() ? "-" : String.join(", ", notes);
    }
}
