package org.castellan.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import org.castellan.cli.Session;
import org.castellan.cli.output.Table;
import org.castellan.cli.output.Values;
import picocli.CommandLine.Command;

/** {@code castellan groups list}. */
@Command(name = "list", description = "List user groups.")
final class GroupsListCommand extends ApiCommand {
    @Override
    protected void run(Session session) {
        JsonNode groups = Pages.all(session, "list user groups", "user-groups");
        Table table = Table.withColumns("ID", "NAME", "MEMBERS");
        NameBook names = new NameBook(session);
        // Members by name (the ids are in -o json and in groups show).
        Show.list(session, groups, table, group -> table.row(Values.text(group, "id"), Values.text(group, "name"),
                names.joined(group.get("members"), "user:", false)));
    }
}
