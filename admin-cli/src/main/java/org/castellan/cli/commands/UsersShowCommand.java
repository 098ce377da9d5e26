package org.castellan.cli.commands;

import org.castellan.cli.Session;
import org.castellan.cli.http.Endpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code castellan users show NAME|ID}. */
@Command(name = "show", description = "Show one user by name or id.")
final class UsersShowCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "NAME|ID", description = "The user's name or id (see users list).")
    String user;

    @Override
    protected void run(Session session) {
        String id = Refs.id(session, Refs.Kind.USER, user);
        String context = "show " + Refs.describe(Refs.Kind.USER, user, id);
        Show.object(session, context, session.api().get(context, Endpoint.of("users", id)).tree());
    }
}
