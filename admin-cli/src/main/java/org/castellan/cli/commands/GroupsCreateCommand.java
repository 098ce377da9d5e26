package org.castellan.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.castellan.cli.Session;
import org.castellan.cli.http.Endpoint;
import org.castellan.cli.http.LenientJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code castellan groups create NAME [--member USER_ID]...}: prints the new group's id. */
@Command(name = "create", description = "Create a user group; prints its id alone on stdout.")
final class GroupsCreateCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "Group name, e.g. helpdesk.")
    String name;

    @Option(names = "--member", paramLabel = "USER", description = "A member, by name or id (repeatable).")
    List<String> members = new ArrayList<>();

    @Override
    protected void run(Session session) {
        String context = "create user group " + name;
        ObjectNode body = LenientJson.mapper().createObjectNode().put("name", name);
        Refs.ids(session, Refs.Kind.USER, members).forEach(body.putArray("members")::add);
        Show.created(session, context, session.api().post(context, Endpoint.of("user-groups"), body).tree(),
                "user group " + name);
    }
}
