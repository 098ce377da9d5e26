package org.castellan.cli.commands;

import org.castellan.cli.Session;
import org.castellan.cli.http.Endpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code castellan users show ID}. */
@Command(name = "show", description = "Show one user by id.")
final class UsersShowCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The user's id (see users list).")
    String id;

    @Override
    protected void run(Session session) {
        String context = "show user " + id;
        Show.object(session, context, session.api().get(context, Endpoint.of("users", id)).tree());
    }
}
