package org.castellan.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import org.castellan.cli.Session;
import org.castellan.cli.output.Table;
import org.castellan.cli.output.Values;
import picocli.CommandLine.Command;

/** {@code castellan users list}: every user, all pages. */
@Command(name = "list", description = "List users.")
final class UsersListCommand extends ApiCommand {
    @Override
    protected void run(Session session) {
        JsonNode users = Pages.all(session, "list users", "users");
        Table table = Table.withColumns("ID", "NAME", "ADMIN", "STATUS", "CREATED");
        Show.list(session, users, table, user -> table.row(Values.text(user, "id"), Values.text(user, "name"),
                Values.text(user, "admin"), status(user), Values.text(user, "createdAt")));
    }

    /** The server's status if it sends one, else disabled when a disabled flag or time is set. */
    static String status(JsonNode user) {
        if (user.hasNonNull("status")) {
            return user.get("status").asText();
        }
        boolean disabled = user.path("disabled").asBoolean(false) || user.hasNonNull("disabledAt");
        return disabled ? "disabled" : "active";
    }
}
