package org.castellan.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.castellan.cli.Session;
import org.castellan.cli.http.Endpoint;
import org.castellan.cli.http.LenientJson;
import org.castellan.cli.output.Table;
import org.castellan.cli.output.Values;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code castellan reports versions [--agent | --os]}: how many devices run each agent version and
 * each OS version, most common first. {@code -o json}: {@code {"agentVersions":[…], "osVersions":[…]}},
 * each the server's answer (one of them alone with {@code --agent} or {@code --os}).
 */
@Command(name = "versions", description = "Agent versions and operating system versions in the fleet, with how many"
        + " devices run each, most common first.")
final class ReportsVersionsCommand extends ApiCommand {
    @Option(names = "--agent", description = "Only the agent versions.")
    boolean agentOnly;

    @Option(names = "--os", description = "Only the operating system versions.")
    boolean osOnly;

    @Override
    protected void validate(org.castellan.cli.Host host) {
        if (agentOnly && osOnly) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--agent and --os exclude each other");
        }
    }

    @Override
    protected void run(Session session) {
        JsonNode agents = osOnly ? null : session.api().get("read report agent-versions",
                Endpoint.of("reports", "agent-versions")).tree();
        JsonNode oses = agentOnly ? null : session.api().get("read report os-versions",
                Endpoint.of("reports", "os-versions")).tree();
        if (session.output().json()) {
            ObjectNode both = LenientJson.mapper().createObjectNode();
            if (agents != null) {
                both.set("agentVersions", agents);
            }
            if (oses != null) {
                both.set("osVersions", oses);
            }
            session.output().printJson(both);
            return;
        }
        Table table = Table.withColumns("KIND", "VERSION", "DEVICES");
        if (agents != null) {
            agents.forEach(t -> table.row("agent", Values.text(t, "value"), Values.text(t, "devices")));
        }
        if (oses != null) {
            oses.forEach(t -> table.row("os", Values.joined(t, "value", "detail"), Values.text(t, "devices")));
        }
        session.output().printTable(table);
    }
}
