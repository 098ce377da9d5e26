package org.castellan.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import org.castellan.cli.Host;
import org.castellan.cli.Session;
import org.castellan.cli.http.Endpoint;
import org.castellan.cli.output.Table;
import org.castellan.cli.output.Values;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code castellan device-groups members NAME|ID [--limit N] [--after CURSOR]}: the group's devices
 * ({@code GET /api/v1/device-groups/{id}/members}), listed and matched ones each once, in id
 * order. Without {@code --limit} or {@code --after} every page is followed, as {@code devices list}
 * does; with either, one page, and a note naming the next page's cursor when more exist.
 */
@Command(name = "members", description = {"List a device group's devices: those listed in it and those its match"
        + " selects, each once.", "Every page by default; --limit/--after read one page."})
final class DeviceGroupsMembersCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "NAME|ID", description = "The group's name or id.")
    String group;

    @Option(names = "--limit", paramLabel = "N", description = "Devices in one page, 1 to 1000 (reads that page only).")
    Integer limit;

    @Option(names = "--after", paramLabel = "CURSOR", description = "Read the page after this cursor (as printed for"
            + " the next page).")
    String after;

    @Override
    protected void validate(Host host) {
        if (limit != null && (limit < 1 || limit > 1000)) {
            throw new ParameterException(spec.commandLine(), "--limit must be between 1 and 1000");
        }
    }

    @Override
    protected void run(Session session) {
        String id = Refs.id(session, Refs.Kind.DEVICE_GROUP, group);
        String context = "list members of " + Refs.describe(Refs.Kind.DEVICE_GROUP, group, id);
        JsonNode rows;
        String next = null;
        if (limit == null && after == null) {
            rows = Pages.all(session, context, cursor -> endpoint(id, cursor));
        } else {
            Pages.Page page = Pages.one(session, context, endpoint(id, after));
            rows = page.rows();
            next = page.nextCursor();
        }
        Table table = Table.withColumns("HOSTNAME", "ID", "IN GROUP", "DELETED");
        Show.list(session, rows, table, m -> table.row(Values.text(m, "hostname"), Values.text(m, "id"), how(m),
                m.path("deleted").asBoolean(false) ? "deleted" : "-"));
        if (next != null) {
            session.output().note("more devices exist: --after " + next + " for the next page");
        }
    }

    /** {@code listed}, {@code matching} or both: how the device came to be in the group. */
    static String how(JsonNode member) {
        boolean listed = member.path("explicit").asBoolean(false);
        boolean matched = member.path("matched").asBoolean(false);
        return listed && matched ? "listed, matching" : listed ? "listed" : matched ? "matching" : "-";
    }

    private Endpoint endpoint(String id, String cursor) {
        return Endpoint.of("device-groups", id, "members").query("limit", limit == null ? null : limit.toString())
                .query("after", cursor);
    }
}
