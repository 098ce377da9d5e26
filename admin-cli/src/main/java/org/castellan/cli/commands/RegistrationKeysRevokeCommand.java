package org.castellan.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import org.castellan.cli.Session;
import org.castellan.cli.http.Endpoint;
import org.castellan.cli.http.LenientJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code castellan registration-keys revoke NAME|ID}: no device can register with the key afterwards. */
@Command(name = "revoke", description = "Revoke a registration key; devices already registered are not affected.")
final class RegistrationKeysRevokeCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "NAME|ID", description = "The key's name or id (see registration-keys list).")
    String key;

    @Override
    protected void run(Session session) {
        String id = Refs.id(session, Refs.Kind.REGISTRATION_KEY, key);
        String described = Refs.describe(Refs.Kind.REGISTRATION_KEY, key, id);
        JsonNode answer = session.api().post("revoke " + described,
                Endpoint.of("registration-keys", id, "revoke"), null).tree();
        if (session.output().json()) {
            session.output().printJson(answer.isMissingNode()
                    ? LenientJson.mapper().createObjectNode().put("id", id).put("revoked", true) : answer);
            return;
        }
        session.output().printLine("revoked " + described);
    }
}
