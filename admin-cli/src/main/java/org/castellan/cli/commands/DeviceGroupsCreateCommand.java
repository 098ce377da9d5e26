package org.castellan.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.castellan.cli.Host;
import org.castellan.cli.Session;
import org.castellan.cli.http.Endpoint;
import org.castellan.cli.http.LenientJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code castellan device-groups create NAME [--device ID]... [--match-hostname GLOB] [--match-os OS] [--policy NAME]}. */
@Command(name = "create", description = "Create a device group; prints its id alone on stdout.")
final class DeviceGroupsCreateCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "Group name, e.g. web-servers.")
    String name;

    @Option(names = "--device", paramLabel = "HOSTNAME|ID", description = "A member device (repeatable).")
    List<String> devices = new ArrayList<>();

    @Option(names = "--match-hostname", paramLabel = "GLOB", description = "Devices whose host name matches, e.g. 'web*'.")
    String matchHostname;

    @Option(names = "--match-os", paramLabel = "linux|windows|macos", completionCandidates = DeviceGroupMatch.OsCandidates.class,
            description = "Devices running this OS.")
    String matchOs;

    @Option(names = "--policy", paramLabel = "NAME", description = "Password policy for the group's devices.")
    String policy;

    @Override
    protected void validate(Host host) {
        matchOs = DeviceGroupMatch.os(spec, matchOs);
    }

    @Override
    protected void run(Session session) {
        String context = "create device group " + name;
        ObjectNode body = LenientJson.mapper().createObjectNode().put("name", name);
        com.fasterxml.jackson.databind.node.ArrayNode members = body.putArray("devices");
        devices.forEach(d -> members.add(DeviceRef.resolve(session, d).id()));
        if (matchHostname != null || matchOs != null) {
            ObjectNode match = body.putObject("match");
            if (matchHostname != null) {
                match.put("hostname", matchHostname);
            }
            if (matchOs != null) {
                match.put("os", matchOs);
            }
        }
        if (policy != null) {
            body.put("policy", policy);
        }
        Show.created(session, context, session.api().post(context, Endpoint.of("device-groups"), body).tree(),
                "device group " + name);
    }
}
