package org.castellan.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import org.castellan.cli.Host;
import org.castellan.cli.Session;
import org.castellan.cli.http.Endpoint;
import org.castellan.cli.http.LenientJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code castellan recovery-key purge ID|HOSTNAME --reason TEXT}: deletes the device's recovery keys
 * of removed volumes now (the server otherwise keeps them for its retention period); its current
 * keys are never touched. Admins; audited with the reason.
 */
@Command(name = "purge", description = {"Delete a device's recovery keys of removed volumes now (its current keys stay;"
        + " the server otherwise keeps them for its retention period). Admin; audited with the reason."})
final class RecoveryKeyPurgeCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "ID|HOSTNAME", description = "The device: its id, or its exact host name.")
    String device;

    @Option(names = "--reason", paramLabel = "TEXT", required = true, description = "Why (recorded in the audit log).")
    String reason;

    @Override
    protected void validate(Host host) {
        if (reason.isBlank()) {
            throw new ParameterException(spec.commandLine(), "--reason must say why (white space is no reason)");
        }
    }

    @Override
    protected void run(Session session) {
        DeviceTarget.Device target = DeviceRef.resolve(session, device);
        String described = DeviceRef.describe(target);
        JsonNode answer = session.api().post("purge removed recovery keys of " + described,
                Endpoint.of("devices", target.id(), "recovery-keys", "purge"),
                LenientJson.mapper().createObjectNode().put("reason", reason)).tree();
        Show.done(session, answer, LenientJson.mapper().createObjectNode().put("id", target.id()), "deleted " + answer.path("recoveryKeys").asInt()
                + " recovery keys of removed volumes of " + described);
    }
}
