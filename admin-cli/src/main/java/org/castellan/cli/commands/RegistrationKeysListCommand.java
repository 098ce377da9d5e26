package org.castellan.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import org.castellan.cli.Session;
import org.castellan.cli.output.Table;
import org.castellan.cli.output.Values;
import picocli.CommandLine.Command;

/** {@code castellan registration-keys list}: the keys (never their values), with use counts. */
@Command(name = "list", description = "List registration keys (their values are never shown again).")
final class RegistrationKeysListCommand extends ApiCommand {
    @Override
    protected void run(Session session) {
        JsonNode keys = Pages.all(session, "list registration keys", "registration-keys");
        if (session.output().json()) {
            session.output().printJson(keys);
            return;
        }
        Table table = Table.withColumns("ID", "NAME", "USES", "MAX USES", "EXPIRES", "REVOKED", "CREATED");
        keys.forEach(key -> table.row(Values.text(key, "id"), Values.text(key, "name"), Values.text(key, "uses"),
                Values.text(key, "maxUses"), Values.text(key, "expiresAt"), Values.text(key, "revokedAt"),
                Values.text(key, "createdAt")));
        session.output().printTable(table);
    }
}
