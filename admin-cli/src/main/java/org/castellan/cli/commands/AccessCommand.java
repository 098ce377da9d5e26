package org.castellan.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import org.castellan.cli.CliException;
import org.castellan.cli.Host;
import org.castellan.cli.Session;
import org.castellan.cli.http.Endpoint;
import org.castellan.cli.output.Table;
import org.castellan.cli.output.Values;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code castellan access --principal user:ID --device ID|HOSTNAME}: what the principal may do on
 * the device, and which rules grant it. A host name is resolved like {@code password get} does.
 */
@Command(name = "access", description = {"Show a user's or user group's permissions on a device and the rules that"
        + " grant them."})
public final class AccessCommand extends ApiCommand {
    @Option(names = "--principal", required = true, paramLabel = "user:NAME|user-group:NAME", description = "Whose access (a name or an id after the colon).")
    String principal;

    @Option(names = "--device", required = true, paramLabel = "ID|HOSTNAME", description = "On which device.")
    String device;

    @Override
    protected void validate(Host host) {
        Principals.checkPrincipal(spec, "--principal", principal);
    }

    @Override
    protected void run(Session session) {
        DeviceTarget.Device target = DeviceRef.resolve(session, device);
        String principalId = Refs.principal(session, principal);
        String context = "check access of " + principal + " to " + DeviceRef.describe(target);
        JsonNode access = session.api().get(context,
                Endpoint.of("access").query("principal", principalId).query("device", target.id())).tree();
        if (session.output().json()) {
            session.output().printJson(access);
            return;
        }
        if (!access.isObject()) {
            throw new CliException(CliException.FAILED, context + ": the server's answer is not an object");
        }
        Table summary = Table.withoutHeader(2);
        NameBook names = new NameBook(session);
        // Names beside ids, however they were given.
        summary.row("principal:", principal.equals(principalId) ? names.labelBeside(principalId)
                : principal + " (" + principalId.substring(principalId.indexOf(':') + 1) + ")");
        String hostname = target.hostname().equals(target.id()) ? names.name("device:" + target.id()) : target.hostname();
        summary.row("device:", hostname == null ? "device " + target.id() : hostname + " (device " + target.id() + ")");
        summary.row("permissions:", access.path("permissions").isEmpty() ? "none" : Values.text(access, "permissions"));
        summary.row("require reason:", access.path("requireReason").asBoolean(false) ? "yes" : "no");
        summary.row("rotate after read:", RulesListCommand.minutes(access.get("rotateAfterReadMinutes")));
        session.output().printTable(summary);
        JsonNode rules = access.path("rules");
        if (rules.isArray() && !rules.isEmpty()) {
            session.output().printLine("");
            Table table = Table.withColumns("RULE", "NAME", "PERMISSIONS");
            rules.forEach(rule -> table.row(Values.text(rule, "id"), Values.text(rule, "name"),
                    Values.text(rule, "permissions")));
            session.output().printTable(table);
        }
    }
}
