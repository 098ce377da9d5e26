package org.castellan.cli.commands;

import org.castellan.cli.Session;
import org.castellan.cli.http.Endpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code castellan groups show ID}. */
@Command(name = "show", description = "Show one user group by id.")
final class GroupsShowCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The group's id (see groups list).")
    String id;

    @Override
    protected void run(Session session) {
        String context = "show user group " + id;
        Show.object(session, context, session.api().get(context, Endpoint.of("user-groups", id)).tree());
    }
}
