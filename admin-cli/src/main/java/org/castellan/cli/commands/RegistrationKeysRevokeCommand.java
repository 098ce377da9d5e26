package org.castellan.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import org.castellan.cli.Session;
import org.castellan.cli.http.Endpoint;
import org.castellan.cli.http.LenientJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code castellan registration-keys revoke ID}: no device can register with the key afterwards. */
@Command(name = "revoke", description = "Revoke a registration key; devices already registered are not affected.")
final class RegistrationKeysRevokeCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The key's id (see registration-keys list).")
    String id;

    @Override
    protected void run(Session session) {
        JsonNode answer = session.api().post("revoke registration key " + id,
                Endpoint.of("registration-keys", id, "revoke"), null).tree();
        if (session.output().json()) {
            session.output().printJson(answer.isMissingNode()
                    ? LenientJson.mapper().createObjectNode().put("id", id).put("revoked", true) : answer);
            return;
        }
        session.output().printLine("revoked registration key " + id);
    }
}
