package org.castellan.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.castellan.cli.CliException;
import org.castellan.cli.Session;

/**
 * Names wherever ids are accepted: {@code ann} for a user, {@code help-desk} for a user group,
 * {@code workstations} for a device group, a host name for a device, a channel's name. An id
 * (a UUID; the server refuses names of that shape) is taken as it is; a name is looked up in the
 * list resource and must match exactly one (several: an error listing them; none: close names
 * suggested). What is sent to the server, and what rules store, is always the id.
 */
final class Refs {
    enum Kind {
        USER("user", "users"), USER_GROUP("user group", "user-groups"), DEVICE_GROUP("device group", "device-groups"),
        CHANNEL("channel", "channels"), RULE("rule", "rules"), REGISTRATION_KEY("registration key", "registration-keys");

        final String what;
        final String path;

        Kind(String what, String path) {
            this.what = what;
            this.path = path;
        }
    }

    private Refs() {}

    static String id(Session session, Kind kind, String nameOrId) {
        if (DeviceRef.isId(nameOrId)) {
            return nameOrId;
        }
        JsonNode all = Pages.all(session, "look up " + kind.what + " " + nameOrId, kind.path);
        List<JsonNode> matches = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (JsonNode row : all) {
            String name = row.path("name").asText("");
            names.add(name);
            if (name.equals(nameOrId)) {
                matches.add(row);
            }
        }
        if (matches.size() == 1) {
            return matches.get(0).path("id").asText();
        }
        if (matches.isEmpty()) {
            throw new CliException(CliException.FAILED, "no " + kind.what + " named " + nameOrId
                    + CloseNames.hint(CloseNames.to(nameOrId, names)));
        }
        throw new CliException(CliException.FAILED, matches.size() + " " + kind.path.replace('-', ' ') + " are named "
                + nameOrId + "; give the id of one: " + String.join(", ", matches.stream().map(m -> m.path("id").asText()).toList()));
    }

    /** How a resolved thing is named in messages: {@code user ann (id …)}, or {@code user ID} when given by id. */
    static String describe(Kind kind, String given, String id) {
        return given.equals(id) ? kind.what + " " + id : kind.what + " " + given + " (id " + id + ")";
    }

    static List<String> ids(Session session, Kind kind, List<String> namesOrIds) {
        return namesOrIds.stream().map(n -> id(session, kind, n)).toList();
    }

    /** {@code user:NAME|ID}, {@code user-group:NAME|ID} → the same with the id. */
    static String principal(Session session, String value) {
        if (value.startsWith("user:")) {
            return "user:" + id(session, Kind.USER, value.substring(5));
        }
        if (value.startsWith("user-group:")) {
            return "user-group:" + id(session, Kind.USER_GROUP, value.substring(11));
        }
        return value;
    }

    /** {@code device:HOSTNAME|ID}, {@code device-group:NAME|ID}, {@code all} → the same with the id. */
    static String target(Session session, String value) {
        if (value.startsWith("device:")) {
            return "device:" + DeviceRef.resolve(session, value.substring(7)).id();
        }
        if (value.startsWith("device-group:")) {
            return "device-group:" + id(session, Kind.DEVICE_GROUP, value.substring(13));
        }
        return value;
    }
}
