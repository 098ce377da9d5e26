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
 * {@code castellan devices delete ID|HOSTNAME}: deletes the device and its escrowed secrets.
 * Asks on the terminal first; without a terminal it needs {@code --yes}, so a script cannot delete
 * by accident.
 */
@Command(name = "delete", description = {"Delete a device and its escrowed passwords and keys.",
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
                    + " and its escrowed passwords and keys? This cannot be undone. [y/N] ");
            if (answer == null || !(answer.strip().toLowerCase(Locale.ROOT).equals("y")
                    || answer.strip().toLowerCase(Locale.ROOT).equals("yes"))) {
                throw new CliException(CliException.FAILED, "not deleted: " + described);
            }
        }
        JsonNode answer = session.api().delete("delete " + described, Endpoint.of("devices", target.id())).tree();
        Show.done(session, answer, LenientJson.mapper().createObjectNode().put("id", target.id()).put("deleted", true),
                "deleted " + described);
    }
}
