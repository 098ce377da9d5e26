package org.castellan.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.castellan.cli.Session;
import org.castellan.cli.http.Endpoint;
import org.castellan.cli.http.LenientJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code castellan password rotate HOSTNAME}: asks the device to rotate at its next check-in. */
@Command(name = "rotate", description = "Make the device rotate its password at its next check-in.")
final class PasswordRotateCommand extends ApiCommand {
    @Mixin
    DeviceTarget target;

    @Override
    protected void run(Session session) {
        DeviceTarget.Device device = target.resolve(session);
        JsonNode answer = session.api().post("request rotation for " + device.hostname(),
                Endpoint.of("devices", device.id(), "rotate"), null).tree();
        if (session.output().json()) {
            if (answer.isMissingNode()) {
                ObjectNode summary = LenientJson.mapper().createObjectNode();
                summary.put("deviceId", device.id()).put("hostname", device.hostname()).put("rotationRequested", true);
                answer = summary;
            }
            session.output().printJson(answer);
            return;
        }
        session.output().printLine("rotation requested for " + device.hostname() + " (device " + device.id()
                + "); the device rotates at its next check-in");
    }
}
