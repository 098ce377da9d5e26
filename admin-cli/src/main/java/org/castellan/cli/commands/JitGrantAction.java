package org.castellan.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import org.castellan.cli.CliException;
import org.castellan.cli.Session;
import org.castellan.cli.http.Endpoint;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jit approve|revoke ID}: finds the request's device, then posts the verb on it. */
abstract class JitGrantAction extends ApiCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The request's id (from jit request or jit list).")
    String id;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why (audited; required by rules with requireReason).")
    String reason;

    abstract String verb();

    @Override
    protected void run(Session session) {
        String context = verb() + " just-in-time request " + id;
        String deviceId = null;
        // Every page of the list: the request may be past the first.
        for (JsonNode g : Pages.all(session, context, "jit")) {
            if (id.equals(g.path("id").asText())) {
                deviceId = g.path("deviceId").asText();
            }
        }
        if (deviceId == null) {
            throw new CliException(CliException.FAILED, context + ": no such request among those you may see"
                    + " (jit list shows them)");
        }
        JsonNode answer = session.api().post(context, Endpoint.of("devices", deviceId, "jit", id, verb())
                .query("reason", reason), null).tree();
        if (session.output().json()) {
            session.output().printJson(answer);
            return;
        }
        session.output().printLine(verb() + (verb().endsWith("e") ? "d" : "ed") + ": admin rights for "
                + answer.path("user").asText() + " on " + answer.path("hostname").asText() + " ("
                + answer.path("status").asText() + (answer.path("expiresAt").isTextual()
                ? ", until " + answer.path("expiresAt").asText() : "") + ")");
    }
}
