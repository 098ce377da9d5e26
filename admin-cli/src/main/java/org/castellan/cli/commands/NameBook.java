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
 * Each kind's list is fetched once, only when an id of that kind is shown; a list the caller may
 * not read (a non-admin) leaves its ids as they are. {@code -o json} keeps the server's ids.
 */
final class NameBook {
    private final Session session;
    private final Map<String, Map<String, String>> byKind = new HashMap<>();

    NameBook(Session session) {
        this.session = session;
    }

    /** {@code kind:ID} → {@code kind:NAME} when the name is known and unique, else unchanged. */
    String label(String ref) {
        int colon = ref.indexOf(':');
        if (colon < 0) {
            return ref;
        }
        String kind = ref.substring(0, colon);
        String id = ref.substring(colon + 1);
        String path = switch (kind) {
            case "user" -> "users";
            case "user-group" -> "user-groups";
            case "device-group" -> "device-groups";
            case "device" -> "devices";
            case "channel" -> "channels";
            default -> null;
        };
        if (path == null || !DeviceRef.isId(id)) {
            return ref;
        }
        String name = names(path).get(id);
        return name == null ? ref : kind + ":" + name;
    }

    /** Each element of a JSON array of refs, labelled and joined; {@code -} when empty. */
    String labels(JsonNode refs) {
        if (refs == null || !refs.isArray() || refs.isEmpty()) {
            return "-";
        }
        List<String> out = new ArrayList<>();
        refs.forEach(r -> out.add(label(r.asText())));
        return String.join(", ", out);
    }

    private Map<String, String> names(String path) {
        return byKind.computeIfAbsent(path, p -> {
            Map<String, String> names = new HashMap<>();
            Map<String, Integer> uses = new HashMap<>();
            try {
                for (JsonNode row : Pages.all(session, "read " + p.replace('-', ' ') + " for their names", p)) {
                    String name = row.path(p.equals("devices") ? "hostname" : "name").asText(null);
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
