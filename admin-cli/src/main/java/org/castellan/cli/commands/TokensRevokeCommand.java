package org.castellan.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import org.castellan.cli.Session;
import org.castellan.cli.http.Endpoint;
import org.castellan.cli.http.LenientJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code castellan tokens revoke ID}. */
@Command(name = "revoke", description = "Revoke an API token; it stops working at once.")
final class TokensRevokeCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The token's id (see tokens list).")
    String id;

    @Override
    protected void run(Session session) {
        JsonNode answer = session.api().post("revoke token " + id, Endpoint.of("tokens", id, "revoke"), null).tree();
        Show.done(session, answer, LenientJson.mapper().createObjectNode().put("id", id).put("revoked", true),
                "revoked token " + id);
    }
}
