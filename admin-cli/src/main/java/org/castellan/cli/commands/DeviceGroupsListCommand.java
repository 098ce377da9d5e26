package org.castellan.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import org.castellan.cli.Session;
import org.castellan.cli.output.Table;
import org.castellan.cli.output.Values;
import picocli.CommandLine.Command;

/** {@code castellan device-groups list}. */
@Command(name = "list", description = "List device groups.")
final class DeviceGroupsListCommand extends ApiCommand {
    @Override
    protected void run(Session session) {
        JsonNode groups = Pages.all(session, "list device groups", "device-groups");
        Table table = Table.withColumns("ID", "NAME", "DEVICES", "MATCH", "POLICY");
        NameBook names = new NameBook(session);
        // Listed devices by host name (looked up one by one, a bounded number; ids in -o json and device-groups show).
        Show.list(session, groups, table, group -> table.row(Values.text(group, "id"), Values.text(group, "name"),
                names.joined(group.get("devices"), "device:", false), DeviceGroupMatch.text(group.get("match")),
                Values.text(group, "policy")));
    }
}
