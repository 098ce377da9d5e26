package org.castellan.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import org.castellan.cli.CliException;
import org.castellan.cli.Session;
import org.castellan.cli.http.Endpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code castellan policy get [NAME]}. */
@Command(name = "get", description = "Show a policy.")
final class PolicyGetCommand extends ApiCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", defaultValue = "default",
            description = "Policy name (default: ${DEFAULT-VALUE}).")
    String name;

    @Override
    protected void run(Session session) {
        JsonNode policy = session.api().get("get policy " + name, Endpoint.of("policies", name)).tree();
        if (session.output().json()) {
            session.output().printJson(policy);
            return;
        }
        if (!policy.isObject()) {
            throw new CliException(CliException.FAILED, "get policy " + name + ": the server's answer is not an object");
        }
        session.output().printFields(policy);
    }
}
