package org.castellan.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import org.castellan.cli.Session;
import org.castellan.cli.http.Endpoint;
import org.castellan.cli.http.LenientJson;
import picocli.CommandLine.Parameters;

/** {@code <resource> delete ID}: {@code DELETE /<path>/{id}} (204). */
abstract class DeleteCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The id (see the list verb).")
    String id;

    /** The path segment, e.g. {@code user-groups}. */
    abstract String path();

    /** How the resource is named in messages, e.g. {@code user group}. */
    abstract String what();

    @Override
    protected void run(Session session) {
        JsonNode answer = session.api().delete("delete " + what() + " " + id, Endpoint.of(path(), id)).tree();
        Show.done(session, answer, LenientJson.mapper().createObjectNode().put("id", id).put("deleted", true),
                "deleted " + what() + " " + id);
    }
}
