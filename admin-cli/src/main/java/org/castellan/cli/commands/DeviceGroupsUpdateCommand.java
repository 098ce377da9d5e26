package org.castellan.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
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
 * {@code castellan device-groups update ID ...}: {@code --add} and {@code --remove} change the
 * listed devices a batch at a time ({@code POST .../members}), never sending the whole list;
 * the other fields are read, changed and PUT back ({@code name}, {@code match}, {@code policy};
 * {@code devices} only when {@code --device} or {@code --no-devices} replaces the whole list,
 * absent otherwise, which keeps the members). A cleared field is sent as null.
 */
@Command(name = "update", description = {"Change some fields of a device group, keeping the others.",
        "--add/--remove change listed devices; --device replaces the whole list; an empty --match-hostname or"
                + " --match-os removes that condition."})
final class DeviceGroupsUpdateCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "NAME|ID", description = "The group's name or id.")
    String group;

    private String id;

    @Option(names = "--name", paramLabel = "NAME", description = "New name.")
    String name;

    @Option(names = "--device", paramLabel = "ID|HOSTNAME", description = "Member device (repeatable; replaces the list).")
    List<String> devices = new ArrayList<>();

    @Option(names = "--no-devices", description = "Remove every listed device (matching ones still belong).")
    boolean noDevices;

    @Option(names = "--add", paramLabel = "ID|HOSTNAME", description = "Add a listed device (repeatable).")
    List<String> add = new ArrayList<>();

    @Option(names = "--remove", paramLabel = "ID|HOSTNAME", description = "Remove a listed device (repeatable).")
    List<String> remove = new ArrayList<>();

    @Option(names = "--match-hostname", paramLabel = "GLOB", description = "Host name pattern ('' removes it).")
    String matchHostname;

    @Option(names = "--match-os", paramLabel = "linux|windows|macos", completionCandidates = DeviceGroupMatch.OsCandidates.class,
            description = "OS condition ('' removes it).")
    String matchOs;

    @Option(names = "--no-match", description = "Remove the host name and OS conditions.")
    boolean noMatch;

    @Option(names = "--policy", paramLabel = "NAME", description = "Password policy for the group's devices.")
    String policy;

    @Option(names = "--no-policy", description = "Detach the policy.")
    boolean noPolicy;

    @Override
    protected void validate(Host host) {
        matchOs = DeviceGroupMatch.os(spec, matchOs);
        if (!devices.isEmpty() && noDevices) {
            throw new ParameterException(spec.commandLine(), "--device and --no-devices cannot be combined");
        }
        if ((!add.isEmpty() || !remove.isEmpty()) && (!devices.isEmpty() || noDevices)) {
            throw new ParameterException(spec.commandLine(), "--add and --remove cannot be combined with --device or"
                    + " --no-devices (which replace the whole list)");
        }
        if (add.size() + remove.size() > MAX_CHANGE) {
            throw new ParameterException(spec.commandLine(), "at most " + MAX_CHANGE + " --add and --remove in one update");
        }
        if (noMatch && (matchHostname != null || matchOs != null)) {
            throw new ParameterException(spec.commandLine(), "--no-match cannot be combined with --match-hostname or --match-os");
        }
        if (noPolicy && policy != null) {
            throw new ParameterException(spec.commandLine(), "--policy and --no-policy cannot be combined");
        }
        if (!fieldsChange() && add.isEmpty() && remove.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "nothing to change: give at least one of --name, --add,"
                    + " --remove, --device, --no-devices, --match-hostname, --match-os, --no-match, --policy, --no-policy");
        }
    }

    /** The server's bound on one member change. */
    static final int MAX_CHANGE = 1000;

    /** True when a field other than --add/--remove is to change: then the group is PUT. */
    private boolean fieldsChange() {
        return name != null || !devices.isEmpty() || noDevices || matchHostname != null || matchOs != null || noMatch
                || policy != null || noPolicy;
    }

    @Override
    protected void run(Session session) {
        id = Refs.id(session, Refs.Kind.DEVICE_GROUP, group);
        JsonNode changed = null;
        if (!add.isEmpty() || !remove.isEmpty()) {
            // Ids or host names as typed: the server resolves both, and refuses the whole change on one it cannot.
            ObjectNode change = LenientJson.mapper().createObjectNode();
            if (!add.isEmpty()) {
                add.forEach(change.putArray("add")::add);
            }
            if (!remove.isEmpty()) {
                remove.forEach(change.putArray("remove")::add);
            }
            changed = session.api().post("change members of device group " + id,
                    Endpoint.of("device-groups", id, "members"), change).tree();
        }
        if (!fieldsChange()) {
            Show.object(session, "change members of device group " + id, changed);
            return;
        }
        JsonNode current = session.api().get("get device group " + id, Endpoint.of("device-groups", id)).tree();
        if (!current.isObject()) {
            throw new CliException(CliException.FAILED, "get device group " + id + ": the server's answer is not an object");
        }
        ObjectNode body = LenientJson.mapper().createObjectNode();
        body.set("name", name != null ? body.textNode(name) : current.path("name").deepCopy());
        if (!devices.isEmpty() || noDevices) {
            body.set("devices", devices(session));
        }
        body.set("match", match(current.get("match")));
        body.set("policy", noPolicy ? body.nullNode() : policy != null ? body.textNode(policy)
                : current.hasNonNull("policy") ? current.get("policy").deepCopy() : body.nullNode());
        String context = "update device group " + id;
        JsonNode answer = session.api().put(context, Endpoint.of("device-groups", id), body).tree();
        Show.object(session, context, answer.isObject() ? answer : body);
    }

    /** The whole list --device gives (empty for --no-devices). */
    private ArrayNode devices(Session session) {
        ArrayNode list = LenientJson.mapper().createArrayNode();
        devices.forEach(d -> list.add(DeviceRef.resolve(session, d).id()));
        return list;
    }

    private JsonNode match(JsonNode current) {
        ObjectNode match = LenientJson.mapper().createObjectNode();
        if (!noMatch && current != null && current.isObject()) {
            current.properties().forEach(field -> {
                if (!field.getValue().isNull()) {
                    match.set(field.getKey(), field.getValue());
                }
            });
        }
        apply(match, "hostname", matchHostname);
        apply(match, "os", matchOs);
        return match.isEmpty() ? match.nullNode() : match;
    }

    private static void apply(ObjectNode match, String field, String value) {
        if (value == null) {
            return;
        }
        if (value.isEmpty()) {
            match.remove(field);
        } else {
            match.put(field, value);
        }
    }
}
