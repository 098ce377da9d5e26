package org.castellan.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.castellan.cli.CliException;
import org.castellan.cli.Session;

/**
 * Names beside ids in text output: {@code user-group:99be…} reads {@code user-group:help-desk}.
 * Each kind's list is fetched once, only when an id of that kind is shown; devices (a fleet may
 * hold a million) are looked up one by one by id, only those shown, at most {@value #MAX_DEVICES}
 * per run. A list the caller may not read (a non-admin) leaves its ids as they are. {@code -o json}
 * keeps the server's ids.
 */
final class NameBook {
    static final int MAX_DEVICES = 50;
    private final Session session;
    private final Map<String, Map<String, String>> byKind = new HashMap<>();
    private final Map<String, String> devices = new HashMap<>();

    NameBook(Session session) {
        this.session = session;
    }

    /** {@code kind:ID} → {@code kind:NAME} when the name is known and unique, else unchanged. */
    String label(String ref) {
        String name = name(ref);
        return name == null ? ref : ref.substring(0, ref.indexOf(':') + 1) + name;
    }

    /** {@code kind:ID} → {@code kind:NAME (ID)} when the name is known and unique, else unchanged. */
    String labelBeside(String ref) {
        String name = name(ref);
        return name == null ? ref : ref.substring(0, ref.indexOf(':') + 1) + name + " (" + ref.substring(ref.indexOf(':') + 1) + ")";
    }

    /** The name of {@code kind:ID}, or null when not known (or shared by several). */
    String name(String ref) {
        int colon = ref.indexOf(':');
        if (colon < 0) {
            return null;
        }
        String kind = ref.substring(0, colon);
        String id = ref.substring(colon + 1);
        if (!DeviceRef.isId(id)) {
            return null;
        }
        if (kind.equals("device")) {
            return hostname(id);
        }
        String path = switch (kind) {
            case "user" -> "users";
            case "user-group" -> "user-groups";
            case "device-group" -> "device-groups";
            case "channel" -> "channels";
            default -> null;
        };
        return path == null ? null : names(path).get(id);
    }

    /** Each element of a JSON array of refs, labelled and joined; {@code -} when empty. */
    String labels(JsonNode refs) {
        return joined(refs, "", false);
    }

    /**
     * Each element of a JSON array, {@code prefix} + element (e.g. {@code user:} before a member
     * id), with its name beside it when {@code beside}, else instead of it; {@code -} when empty.
     */
    String joined(JsonNode refs, String prefix, boolean beside) {
        if (refs == null || !refs.isArray() || refs.isEmpty()) {
            return "-";
        }
        List<String> out = new ArrayList<>();
        refs.forEach(r -> {
            String ref = prefix + r.asText();
            // Both start with the kind's prefix: shown without it, as the array holds bare ids.
            out.add((beside ? labelBeside(ref) : label(ref)).substring(prefix.length()));
        });
        return String.join(", ", out);
    }

    private String hostname(String id) {
        if (devices.containsKey(id)) {
            return devices.get(id);
        }
        String name = null;
        if (devices.size() < MAX_DEVICES) {
            try {
                name = session.api().get("read device " + id + " for its host name",
                        org.castellan.cli.http.Endpoint.of("devices", id)).tree().path("hostname").asText(null);
            } catch (CliException notReadable) {
                name = null;
            }
        }
        devices.put(id, name);
        return name;
    }

    private Map<String, String> names(String path) {
        return byKind.computeIfAbsent(path, p -> {
            Map<String, String> names = new HashMap<>();
            Map<String, Integer> uses = new HashMap<>();
            try {
                for (JsonNode row : Pages.all(session, "read " + p.replace('-', ' ') + " for their names", p)) {
                    String name = row.path("name").asText(null);
                    if (name != null) {
                        names.put(row.path("id").asText(), name);
                        uses.merge(name, 1, Integer::sum);
                    }
                }
            } catch (CliException notReadable) {
                return Map.of();
            }
            // A name two things share would be ambiguous beside an id: keep the id for those.
            names.values().removeIf(n -> uses.get(n) > 1);
            return names;
        });
    }
}
