package org.castellan.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.castellan.cli.CliException;
import org.castellan.cli.Session;
import org.castellan.cli.http.Endpoint;
import org.castellan.cli.output.Table;
import org.castellan.cli.output.Values;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The device a password command is about: a host name, and when several devices carry it, the
 * {@code --device-id} that picks one. Only exact (case-insensitive) host name matches count, so
 * {@code web0} never silently resolves to {@code web01}.
 */
final class DeviceTarget {
    @Parameters(index = "0", paramLabel = "HOSTNAME", description = "The device's host name.")
    String hostname;

    @Option(names = "--device-id", paramLabel = "ID",
            description = "Pick this device when several devices have the host name.")
    String deviceId;

    /** A resolved device: its id and host name as the server knows them. */
    record Device(String id, String hostname) {}

    Device resolve(Session session) {
        return byHostname(session, hostname, deviceId);
    }

    /** The one device named {@code hostname} (ignoring case), or the one of them with {@code deviceId}. */
    static Device byHostname(Session session, String hostname, String deviceId) {
        return byHostname(session, hostname, deviceId, false);
    }

    /** {@code deleted}: among the deleted devices whose secrets are not purged yet (for {@code devices purge}). */
    static Device byHostname(Session session, String hostname, String deviceId, boolean deleted) {
        JsonNode found = session.api().get("look up " + (deleted ? "deleted " : "") + "device " + hostname,
                Endpoint.of("devices").query("hostname", hostname).query("deleted", deleted ? "true" : null)).tree();
        if (!found.isArray()) {
            throw new CliException(CliException.FAILED, "look up device " + hostname
                    + ": the server's answer is not a list of devices");
        }
        List<JsonNode> exact = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (JsonNode device : found) {
            String name = device.path("hostname").asText("");
            if (name.toLowerCase(Locale.ROOT).equals(hostname.toLowerCase(Locale.ROOT))) {
                exact.add(device);
            } else {
                others.add(name);
            }
        }
        if (deviceId != null) {
            return exact.stream().filter(device -> deviceId.equals(device.path("id").asText(null)))
                    .findFirst().map(DeviceTarget::device)
                    .or(() -> deleted ? java.util.Optional.empty() : deletedOne(session, hostname, deviceId))
                    .orElseThrow(() -> new CliException(CliException.FAILED, "no device with id " + deviceId
                            + " is named " + hostname + (exact.isEmpty() ? "" : " (devices named " + hostname + ": "
                            + String.join(", ", exact.stream().map(d -> d.path("id").asText()).toList()) + ")")));
        }
        if (exact.isEmpty() && !deleted) {
            java.util.Optional<Device> tombstone = deletedOne(session, hostname, null);
            if (tombstone.isPresent()) {
                return tombstone.get();
            }
        }
        if (exact.isEmpty()) {
            throw new CliException(CliException.FAILED, "no " + (deleted ? "deleted " : "") + "device named " + hostname
                    + CloseNames.hint(closeNames(session, hostname, others, deleted)));
        }
        if (exact.size() > 1) {
            Table candidates = Table.withColumns("ID", "HOSTNAME", "OS", "REGISTERED", "LAST SEEN");
            exact.forEach(device -> candidates.row(Values.text(device, "id"), Values.text(device, "hostname"),
                    Values.joined(device, "os", "osVersion"), Values.text(device, "registeredAt"),
                    Values.text(device, "lastSeenAt")));
            StringWriter listing = new StringWriter();
            candidates.printTo(new PrintWriter(listing));
            throw new CliException(CliException.FAILED, exact.size() + " devices are named " + hostname
                    + "; pick one with --device-id ID:" + System.lineSeparator() + listing.toString().stripTrailing());
        }
        return device(exact.get(0));
    }

    /**
     * No live device has the name: a deleted one whose secrets are still kept (the machine may
     * still use its last password) is the answer when it is the only one, with a warning.
     */
    private static java.util.Optional<Device> deletedOne(Session session, String hostname, String deviceId) {
        JsonNode found = session.api().get("look up deleted device " + hostname,
                Endpoint.of("devices").query("hostname", hostname).query("deleted", "true")).tree();
        List<JsonNode> exact = new ArrayList<>();
        for (JsonNode device : found.isArray() ? found : LenientJsonEmpty.ARRAY) {
            if (device.path("hostname").asText("").toLowerCase(Locale.ROOT).equals(hostname.toLowerCase(Locale.ROOT))
                    && (deviceId == null || deviceId.equals(device.path("id").asText(null)))) {
                exact.add(device);
            }
        }
        if (exact.size() != 1) {
            return java.util.Optional.empty();
        }
        JsonNode tombstone = exact.get(0);
        session.output().warn(hostname + " (device " + tombstone.path("id").asText() + ") was deleted at "
                + tombstone.path("deletedAt").asText("?") + "; its secrets are kept until "
                + tombstone.path("purgeAfter").asText("?"));
        return java.util.Optional.of(device(tombstone));
    }

    private static final class LenientJsonEmpty {
        static final JsonNode ARRAY = org.castellan.cli.http.LenientJson.mapper().createArrayNode();
    }

    /**
     * Host names a typo away from {@code hostname}: those of the devices that answered the look-up
     * with another name, and the server's own search over every device the caller may see
     * ({@code ?similar=}: bounded work at any fleet size, never a device outside the caller's rules).
     */
    private static List<String> closeNames(Session session, String hostname, List<String> others, boolean deleted) {
        List<String> names = new ArrayList<>(others);
        JsonNode similar = session.api().get("look up host names like " + hostname,
                Endpoint.of("devices").query("similar", hostname).query("deleted", deleted ? "true" : null)).tree();
        if (similar.isArray()) {
            similar.forEach(device -> names.add(device.path("hostname").asText("")));
        }
        return CloseNames.to(hostname, names);
    }

    private static Device device(JsonNode node) {
        return new Device(node.path("id").asText(), node.path("hostname").asText());
    }
}
