package org.castellan.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import org.castellan.cli.Session;
import org.castellan.cli.http.Endpoint;
import org.castellan.cli.http.LenientJson;
import picocli.CommandLine.Parameters;

/** {@code <resource> delete NAME|ID}: the name resolved to its id, then {@code DELETE /<path>/{id}} (204). */
abstract class DeleteCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "NAME|ID", description = "Its name or id (see the list verb).")
    String given;

    /** What is deleted (its path segment and how messages name it). */
    abstract Refs.Kind kind();

    @Override
    protected void run(Session session) {
        String id = Refs.id(session, kind(), given);
        String described = Refs.describe(kind(), given, id);
        JsonNode answer = session.api().delete("delete " + described, Endpoint.of(kind().path, id)).tree();
        Show.done(session, answer, LenientJson.mapper().createObjectNode().put("id", id).put("deleted", true),
                "deleted " + described);
    }
}
