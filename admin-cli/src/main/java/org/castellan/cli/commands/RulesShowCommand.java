package org.castellan.cli.commands;

import org.castellan.cli.Session;
import org.castellan.cli.http.Endpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code castellan rules show NAME|ID}: the rule, names beside the ids of its principals, targets and channels. */
@Command(name = "show", description = "Show one access rule by name or id, with the names of whom and what it covers.")
final class RulesShowCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "NAME|ID", description = "The rule's name or id (see rules list).")
    String rule;

    @Override
    protected void run(Session session) {
        String id = Refs.id(session, Refs.Kind.RULE, rule);
        String context = "show " + Refs.describe(Refs.Kind.RULE, rule, id);
        Show.objectWithNames(session, context, session.api().get(context, Endpoint.of("rules", id)).tree(),
                java.util.Map.of("principals", "", "targets", "", "channels", "channel:"));
    }
}
