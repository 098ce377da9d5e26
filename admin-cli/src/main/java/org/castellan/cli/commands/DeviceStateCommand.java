package org.castellan.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import org.castellan.cli.Session;
import org.castellan.cli.http.Endpoint;
import org.castellan.cli.http.LenientJson;
import picocli.CommandLine.Parameters;

/** {@code devices approve|disable|enable ID|HOSTNAME}: {@code POST /devices/{id}/<action>}, answered with the device. */
abstract class DeviceStateCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "ID|HOSTNAME", description = "The device: its id, or its exact host name.")
    String device;

    abstract String action();

    /** The past tense for the message, e.g. {@code approved}. */
    abstract String done();

    @Override
    protected void run(Session session) {
        DeviceTarget.Device target = DeviceRef.resolve(session, device);
        JsonNode answer = session.api().post(action() + " " + DeviceRef.describe(target),
                Endpoint.of("devices", target.id(), action()), null).tree();
        String status = answer.path("status").asText(null);
        Show.done(session, answer, LenientJson.mapper().createObjectNode().put("id", target.id()).put("action", action()),
                done() + " " + DeviceRef.describe(target) + (status == null ? "" : "; status " + status));
    }
}
