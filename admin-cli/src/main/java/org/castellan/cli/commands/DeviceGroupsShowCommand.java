package org.castellan.cli.commands;

import org.castellan.cli.Session;
import org.castellan.cli.http.Endpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code castellan device-groups show NAME|ID}: the group with its member counts ({@code members} lists them). */
@Command(name = "show", description = "Show one device group by name or id, with how many devices it holds"
        + " (device-groups members lists them).")
final class DeviceGroupsShowCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "NAME|ID", description = "The group's name or id (see device-groups list).")
    String group;

    @Override
    protected void run(Session session) {
        String id = Refs.id(session, Refs.Kind.DEVICE_GROUP, group);
        String context = "show " + Refs.describe(Refs.Kind.DEVICE_GROUP, group, id);
        Show.object(session, context, session.api().get(context, Endpoint.of("device-groups", id)).tree());
    }
}
