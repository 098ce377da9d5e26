package org.castellan.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import org.castellan.cli.Session;
import org.castellan.cli.http.Endpoint;
import org.castellan.cli.http.LenientJson;
import picocli.CommandLine.Parameters;

/** {@code users disable|enable NAME|ID}: {@code POST /users/{id}/disable|enable}. */
abstract class UserStateCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "NAME|ID", description = "The user's name or id (see users list).")
    String user;

    /** {@code disable} or {@code enable}. */
    abstract String action();

    @Override
    protected void run(Session session) {
        String id = Refs.id(session, Refs.Kind.USER, user);
        String described = Refs.describe(Refs.Kind.USER, user, id);
        JsonNode answer = session.api().post(action() + " " + described, Endpoint.of("users", id, action()), null).tree();
        Show.done(session, answer, LenientJson.mapper().createObjectNode().put("id", id)
                .put("disabled", action().equals("disable")), action() + "d " + described);
    }
}
