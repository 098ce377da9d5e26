package org.castellan.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import org.castellan.cli.CliException;
import org.castellan.cli.Session;
import org.castellan.cli.http.Endpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code castellan devices show HOSTNAME|ID}: every field the server holds about one device. */
@Command(name = "show", description = "Show one device by host name or id.")
final class DevicesShowCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "HOSTNAME|ID", description = "The device's host name or id (see devices list).")
    String id;

    @Override
    protected void run(Session session) {
        JsonNode device = session.api().get("show device " + id,
                Endpoint.of("devices", DeviceRef.resolve(session, id).id())).tree();
        if (session.output().json()) {
            session.output().printJson(device);
            return;
        }
        if (!device.isObject()) {
            throw new CliException(CliException.FAILED, "show device " + id + ": the server's answer is not an object");
        }
        Show.objectWithNames(session, "show device " + id, device, java.util.Map.of("groups", "device-group:"));
    }
}
