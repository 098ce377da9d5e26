package org.castellan.cli.commands;

import org.castellan.cli.Session;
import org.castellan.cli.http.Endpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code castellan rules show ID}. */
@Command(name = "show", description = "Show one access rule by id.")
final class RulesShowCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The rule's id (see rules list).")
    String id;

    @Override
    protected void run(Session session) {
        String context = "show rule " + id;
        Show.object(session, context, session.api().get(context, Endpoint.of("rules", id)).tree());
    }
}
