package org.castellan.cli.commands;

import org.castellan.cli.Session;
import org.castellan.cli.http.Endpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code castellan device-groups show ID}. */
@Command(name = "show", description = "Show one device group by id.")
final class DeviceGroupsShowCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The group's id (see device-groups list).")
    String id;

    @Override
    protected void run(Session session) {
        String context = "show device group " + id;
        Show.object(session, context, session.api().get(context, Endpoint.of("device-groups", id)).tree());
    }
}
