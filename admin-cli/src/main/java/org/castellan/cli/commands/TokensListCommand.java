package org.castellan.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import org.castellan.cli.Session;
import org.castellan.cli.output.Table;
import org.castellan.cli.output.Values;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code castellan tokens list --user NAME|ID}: a user's tokens (never their values). */
@Command(name = "list", description = "List a user's API tokens (their values are never shown again).")
final class TokensListCommand extends ApiCommand {
    @Option(names = "--user", required = true, paramLabel = "NAME|ID", description = "Whose tokens: the user's name or id.")
    String user;

    @Override
    protected void run(Session session) {
        String id = Refs.id(session, Refs.Kind.USER, user);
        JsonNode tokens = Pages.all(session, "list tokens of " + Refs.describe(Refs.Kind.USER, user, id), "users", id, "tokens");
        Table table = Table.withColumns("ID", "NAME", "CREATED", "EXPIRES", "LAST USED", "REVOKED");
        Show.list(session, tokens, table, token -> table.row(Values.text(token, "id"), Values.text(token, "name"),
                Values.text(token, "createdAt"), Values.text(token, "expiresAt"), Values.text(token, "lastUsedAt"),
                Values.text(token, "revokedAt")));
    }
}
