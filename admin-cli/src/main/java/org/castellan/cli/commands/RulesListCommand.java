package org.castellan.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import org.castellan.cli.Session;
import org.castellan.cli.output.Table;
import org.castellan.cli.output.Values;
import picocli.CommandLine.Command;

/** {@code castellan rules list}. */
@Command(name = "list", description = "List access rules.")
final class RulesListCommand extends ApiCommand {
    @Override
    protected void run(Session session) {
        JsonNode rules = Pages.all(session, "list rules", "rules");
        Table table = Table.withColumns("ID", "NAME", "PRINCIPALS", "TARGETS", "PERMISSIONS", "REASON", "ROTATE AFTER",
                "EXPIRES");
        NameBook names = new NameBook(session);
        Show.list(session, rules, table, rule -> table.row(Values.text(rule, "id"), Values.text(rule, "name"),
                names.labels(rule.get("principals")), names.labels(rule.get("targets")), Values.text(rule, "permissions"),
                rule.path("requireReason").asBoolean(false) ? "required" : "-", minutes(rule.get("rotateAfterReadMinutes")),
                Values.text(rule, "expiresAt")));
    }

    static String minutes(JsonNode value) {
        return value == null || value.isNull() ? "-" : value.asText() + "m";
    }
}
