package org.castellan.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.castellan.cli.CliException;
import org.castellan.cli.Session;
import org.castellan.cli.http.Endpoint;
import org.castellan.cli.http.LenientJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code castellan tokens revoke ID} or {@code tokens revoke NAME --user USER}: token names are
 * unique only per user, so a name is looked up among that user's tokens.
 */
@Command(name = "revoke", description = "Revoke an API token; it stops working at once.")
final class TokensRevokeCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "ID|NAME", description = "The token's id, or its name with --user (see tokens list).")
    String token;

    @Option(names = "--user", paramLabel = "NAME|ID", description = "Whose token, when it is given by name.")
    String user;

    @Override
    protected void run(Session session) {
        String id = DeviceRef.isId(token) ? token : byName(session);
        String described = token.equals(id) ? "token " + id : "token " + token + " (id " + id + ")";
        JsonNode answer = session.api().post("revoke " + described, Endpoint.of("tokens", id, "revoke"), null).tree();
        Show.done(session, answer, LenientJson.mapper().createObjectNode().put("id", id).put("revoked", true),
                "revoked " + described);
    }

    private String byName(Session session) {
        if (user == null) {
            throw new CliException(CliException.USAGE, "'" + token + "' is not a token id: to revoke a token by name,"
                    + " say whose with --user NAME (see castellan tokens list --user NAME)");
        }
        String userId = Refs.id(session, Refs.Kind.USER, user);
        List<String> matches = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (JsonNode t : Pages.all(session, "list tokens of user " + user, "users", userId, "tokens")) {
            names.add(t.path("name").asText(""));
            if (t.path("name").asText("").equals(token) && !t.hasNonNull("revokedAt")) {
                matches.add(t.path("id").asText());
            }
        }
        if (matches.size() == 1) {
            return matches.get(0);
        }
        if (matches.isEmpty()) {
            throw new CliException(CliException.FAILED, "user " + user + " has no unrevoked token named " + token
                    + CloseNames.hint(CloseNames.to(token, names)));
        }
        throw new CliException(CliException.FAILED, matches.size() + " tokens of user " + user + " are named " + token
                + "; give the id of one: " + String.join(", ", matches));
    }
}
