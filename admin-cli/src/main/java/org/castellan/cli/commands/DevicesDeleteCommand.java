package org.castellan.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import org.castellan.cli.CliException;
import org.castellan.cli.Host;
import org.castellan.cli.Session;
import org.castellan.cli.http.Endpoint;
import org.castellan.cli.http.LenientJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code castellan devices delete ID|HOSTNAME}: deletes the device. Its agent is refused from then
 * on; its passwords and recovery keys stay readable (audited) until the server's retention period
 * ends or {@code devices purge} removes them. Asks on the terminal first; without a terminal it
 * needs {@code --yes}, so a script cannot delete by accident.
 */
@Command(name = "delete", description = {"Delete a device: its agent is refused; its passwords and recovery keys stay"
        + " readable until the server's retention period ends (default 30 days) or 'devices purge'.",
        "Asks for confirmation on the terminal; scripts must pass --yes."})
final class DevicesDeleteCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "ID|HOSTNAME", description = "The device: its id, or its exact host name.")
    String device;

    @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.")
    boolean yes;

    @Override
    protected void validate(Host host) {
        if (!yes && !host.interactive()) {
            throw new ParameterException(spec.commandLine(), "deleting a device cannot be undone: pass --yes to confirm"
                    + " (there is no terminal to ask on)");
        }
    }

    @Override
    protected void run(Session session) {
        DeviceTarget.Device target = DeviceRef.resolve(session, device);
        String described = DeviceRef.describe(target);
        if (!yes) {
            String answer = session.host().terminal().readLine("Delete " + described
                    + "? Its agent will be refused; its passwords and keys stay readable until purged. [y/N] ");
            if (answer == null || !(answer.strip().toLowerCase(Locale.ROOT).equals("y")
                    || answer.strip().toLowerCase(Locale.ROOT).equals("yes"))) {
                throw new CliException(CliException.FAILED, "not deleted: " + described);
            }
        }
        JsonNode answer = session.api().delete("delete " + described, Endpoint.of("devices", target.id())).tree();
        Show.done(session, answer, LenientJson.mapper().createObjectNode().put("id", target.id()).put("deleted", true),
                "deleted " + described);
        if (!session.output().json()) {
            session.output().note("its passwords and recovery keys stay readable until the retention period ends;"
                    + " 'castellan devices purge " + target.id() + " --reason TEXT' removes them now");
        }
    }
}
