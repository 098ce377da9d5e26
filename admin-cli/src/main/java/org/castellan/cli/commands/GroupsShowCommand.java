package org.castellan.cli.commands;

import org.castellan.cli.Session;
import org.castellan.cli.http.Endpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code castellan groups show NAME|ID}: the group, its members' names beside their ids. */
@Command(name = "show", description = "Show one user group by name or id, with its members' names.")
final class GroupsShowCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "NAME|ID", description = "The group's name or id (see groups list).")
    String group;

    @Override
    protected void run(Session session) {
        String id = Refs.id(session, Refs.Kind.USER_GROUP, group);
        String context = "show " + Refs.describe(Refs.Kind.USER_GROUP, group, id);
        Show.objectWithNames(session, context, session.api().get(context, Endpoint.of("user-groups", id)).tree(),
                java.util.Map.of("members", "user:"));
    }
}
