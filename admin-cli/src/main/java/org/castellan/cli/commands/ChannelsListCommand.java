package org.castellan.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import org.castellan.cli.Session;
import org.castellan.cli.output.Table;
import org.castellan.cli.output.Values;
import picocli.CommandLine.Command;

/** {@code castellan channels list} (secrets are never returned). */
@Command(name = "list", description = "List notification channels.")
final class ChannelsListCommand extends ApiCommand {
    @Override
    protected void run(Session session) {
        JsonNode channels = Pages.all(session, "list channels", "channels");
        Table table = Table.withColumns("ID", "NAME", "TYPE", "URL");
        Show.list(session, channels, table, channel -> table.row(Values.text(channel, "id"), Values.text(channel, "name"),
                Values.text(channel, "type"), Values.text(channel, "url")));
    }
}
