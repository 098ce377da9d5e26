package org.castellan.server.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.castellan.server.channels.ChannelStore;
import org.castellan.server.db.Database;
import org.castellan.server.devices.Device;
import org.castellan.server.devices.DeviceQuery;
import org.castellan.server.devices.DeviceScope;
import org.castellan.server.devices.DeviceStore;
import org.castellan.server.groups.SqlDeviceGroupStore;
import org.castellan.server.groups.SqlUserGroupStore;
import org.castellan.server.http.ApiException;
import org.castellan.server.http.TextRules;
import org.castellan.server.users.UserStore;

/**
 * The names behind the ids the admin pages show ({@code user:ID} is shown as the user's name with
 * the id beside it), and host names typed into a form turned into device ids. Reads only; used by
 * admin-only pages, so naming any device is no leak.
 */
final class RefNames {
    private final Database db;
    private final UserStore users;
    private final SqlUserGroupStore userGroups;
    private final DeviceStore devices;
    private final SqlDeviceGroupStore deviceGroups;
    private final ChannelStore channels;

    RefNames(Database db, UserStore users, SqlUserGroupStore userGroups, DeviceStore devices,
             SqlDeviceGroupStore deviceGroups, ChannelStore channels) {
        this.db = db;
        this.users = users;
        this.userGroups = userGroups;
        this.devices = devices;
        this.deviceGroups = deviceGroups;
        this.channels = channels;
    }

    /** A reference in its wire form ({@code user:ID}, {@code device-group:ID}, {@code all}) as HTML: name, then id. */
    String ref(String wire) {
        int colon = wire.indexOf(':');
        if (colon < 0) {
            return "<span class=\"ref\">" + Html.esc(wire) + "</span>";
        }
        String kind = wire.substring(0, colon);
        String id = wire.substring(colon + 1);
        Optional<String> name = db.read(c -> switch (kind) {
            case "user" -> users.byId(c, id).map(UserStore.User::name);
            case "user-group" -> userGroups.byId(c, id).map(g -> g.name());
            case "device" -> devices.byId(c, id).map(d -> d.hostname() + (d.deleted() ? " (deleted)" : ""));
            case "device-group" -> deviceGroups.byId(c, id).map(g -> g.name());
            default -> Optional.<String>empty();
        });
        return "<span class=\"ref\">" + Html.esc(kind) + " <strong>" + Html.esc(name.orElse("(gone)")) + "</strong> <code>"
                + Html.esc(id) + "</code></span>";
    }

    /** A principal id such as {@code user:ID} as the user's name (or the id when the user is gone). */
    String principalName(String principalId) {
        if (principalId == null) {
            return "—";
        }
        if (principalId.startsWith("user:")) {
            String id = principalId.substring(5);
            return db.read(c -> users.byId(c, id)).map(UserStore.User::name).orElse(principalId);
        }
        return principalId;
    }

    String channelName(String id) {
        return db.read(channels::list).stream().filter(ch -> ch.id().equals(id)).map(ChannelStore.Channel::name)
                .findFirst().orElse("(gone)") + " " + id;
    }

    /**
     * The ids of live devices with exactly these host names (case-insensitively); an unknown name, or
     * one only a deleted device has, is 400 {@code invalid-FIELD} naming it, so nothing is saved with
     * a typo and no tombstone is added by its name.
     */
    List<String> deviceIds(List<String> hostnames, String field) {
        List<String> ids = new ArrayList<>();
        for (String hostname : hostnames) {
            String checked;
            try {
                checked = TextRules.hostname(hostname);
            } catch (ApiException e) {
                throw ApiException.badRequest("invalid-" + field, "field '" + field + "': " + e.getMessage());
            }
            List<Device> found = db.read(c -> devices.page(c, new DeviceQuery(DeviceScope.ALL, checked, null, 2)));
            if (found.isEmpty() && !db.read(c -> devices.page(c, new DeviceQuery(DeviceScope.ALL, checked, null, 1,
                    true))).isEmpty()) {
                throw ApiException.badRequest("invalid-" + field, "field '" + field + "': the device named " + checked
                        + " was deleted; a deleted device cannot be named here");
            }
            if (found.isEmpty()) {
                throw ApiException.badRequest("invalid-" + field, "field '" + field + "': no device is named "
                        + checked);
            }
            if (found.size() > 1) {
                throw ApiException.badRequest("invalid-" + field, "field '" + field + "': more than one device is named "
                        + checked + "; remove the stale one first");
            }
            ids.add(found.get(0).id());
        }
        return ids;
    }
}
