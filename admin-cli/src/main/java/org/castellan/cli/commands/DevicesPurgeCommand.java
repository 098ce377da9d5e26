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
 * {@code castellan devices purge ID|HOSTNAME --reason TEXT}: removes a deleted device's passwords
 * and recovery keys now, before the retention period ends (admins; audited with the reason). The
 * host name is looked up among deleted devices. Asks on the terminal; scripts pass {@code --yes}.
 */
@Command(name = "purge", description = {"Remove a deleted device's escrowed passwords and recovery keys for good,"
        + " before the server's retention period ends (admin; audited with the reason).",
        "Only a deleted device can be purged ('devices delete' first). Asks for confirmation on the terminal;"
                + " scripts must pass --yes."})
final class DevicesPurgeCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "ID|HOSTNAME", description = "The deleted device: its id, or its exact host name.")
    String device;

    @Option(names = "--reason", paramLabel = "TEXT", required = true, description = "Why (recorded in the audit log).")
    String reason;

    @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.")
    boolean yes;

    @Override
    protected void validate(Host host) {
        if (reason.isBlank()) {
            throw new ParameterException(spec.commandLine(), "--reason must say why (white space is no reason)");
        }
        if (!yes && !host.interactive()) {
            throw new ParameterException(spec.commandLine(), "purging cannot be undone: the device's last passwords"
                    + " go with it; pass --yes to confirm (there is no terminal to ask on)");
        }
    }

    @Override
    protected void run(Session session) {
        DeviceTarget.Device target = DeviceRef.isId(device) ? new DeviceTarget.Device(device, device)
                : DeviceTarget.byHostname(session, device, null, true);
        String described = DeviceRef.describe(target);
        if (!yes) {
            String answer = session.host().terminal().readLine("Purge " + described
                    + "? Its escrowed passwords and recovery keys are destroyed; this cannot be undone. [y/N] ");
            if (answer == null || !(answer.strip().toLowerCase(Locale.ROOT).equals("y")
                    || answer.strip().toLowerCase(Locale.ROOT).equals("yes"))) {
                throw new CliException(CliException.FAILED, "not purged: " + described);
            }
        }
        JsonNode answer = session.api().post("purge " + described, Endpoint.of("devices", target.id(), "purge"),
                LenientJson.mapper().createObjectNode().put("reason", reason)).tree();
        Show.done(session, answer, LenientJson.mapper().createObjectNode().put("id", target.id()), "purged " + described + ": " + answer.path("passwords").asInt()
                + " passwords and " + answer.path("recoveryKeys").asInt() + " recovery keys");
    }
}
