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
        // Counts, not members: a group may hold most of the fleet (device-groups members lists them).
        Show.list(session, groups, table, group -> table.row(Values.text(group, "id"), Values.text(group, "name"),
                count(group), DeviceGroupMatch.text(group.get("match")), Values.text(group, "policy")));
    }

    /** {@code 4 listed}, {@code 4 listed, 5 matching}. */
    static String count(JsonNode group) {
        String listed = group.path("memberCount").asLong(0) + " listed";
        return group.hasNonNull("matchedCount") ? listed + ", " + group.get("matchedCount").asLong() + " matching" : listed;
    }
}
