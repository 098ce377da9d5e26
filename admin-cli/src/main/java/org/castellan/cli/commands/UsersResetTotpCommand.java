package org.castellan.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import org.castellan.cli.Session;
import org.castellan.cli.http.Endpoint;
import org.castellan.cli.http.LenientJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code castellan users reset-totp ID}: the user lost their authenticator app. Their TOTP second
 * factor is forgotten and their console sessions end; the next console sign-in enrols a new one.
 */
@Command(name = "reset-totp", description = {"Forget a user's TOTP second factor (lost phone) and end their console"
        + " sessions; their next web console sign-in sets up a new one."})
final class UsersResetTotpCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The user's id (see users list).")
    String id;

    @Override
    protected void run(Session session) {
        JsonNode answer = session.api().post("reset the second factor of user " + id,
                Endpoint.of("users", id, "reset-totp"), null).tree();
        Show.done(session, answer, LenientJson.mapper().createObjectNode().put("id", id),
                answer.path("totpReset").asBoolean(false)
                        ? "reset the second factor of user " + id + " (" + answer.path("sessionsEnded").asInt()
                                + " console sessions ended)"
                        : "user " + id + " had no second factor set up (" + answer.path("sessionsEnded").asInt()
                                + " console sessions ended)");
    }
}
