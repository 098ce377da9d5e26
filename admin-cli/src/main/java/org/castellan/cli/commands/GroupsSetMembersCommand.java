package org.castellan.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.castellan.cli.Host;
import org.castellan.cli.Session;
import org.castellan.cli.http.Endpoint;
import org.castellan.cli.http.LenientJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code castellan groups set-members ID --member USER_ID...}: replaces the whole member list. */
@Command(name = "set-members", description = "Replace a user group's members with the given ones.")
final class GroupsSetMembersCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "GROUP", description = "The group's name or id.")
    String id;

    @Option(names = "--member", paramLabel = "USER", description = "A member, by name or id (repeatable).")
    List<String> members = new ArrayList<>();

    @Option(names = "--none", description = "Remove every member.")
    boolean none;

    @Override
    protected void validate(Host host) {
        // An empty list empties the group: make that a deliberate choice, not a forgotten flag.
        if (members.isEmpty() == !none) {
            throw new ParameterException(spec.commandLine(), members.isEmpty()
                    ? "give the members with --member USER (a name or id, repeatable), or --none to empty the group"
                    : "--none and --member cannot be combined");
        }
    }

    @Override
    protected void run(Session session) {
        String context = "set members of user group " + id;
        ObjectNode body = LenientJson.mapper().createObjectNode();
        Refs.ids(session, Refs.Kind.USER, members).forEach(body.putArray("members")::add);
        JsonNode answer = session.api().put(context, Endpoint.of("user-groups", Refs.id(session, Refs.Kind.USER_GROUP, id), "members"), body).tree();
        ObjectNode summary = LenientJson.mapper().createObjectNode().put("id", id);
        summary.set("members", body.get("members"));
        Show.done(session, answer, summary, "user group " + id + " now has " + members.size() + " member"
                + (members.size() == 1 ? "" : "s"));
    }
}
