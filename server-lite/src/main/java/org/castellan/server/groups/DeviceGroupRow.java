package org.castellan.server.groups;

import java.util.List;
import java.util.Set;
import org.castellan.api.DeviceGroupView;
import org.castellan.server.access.DeviceGroup;
import org.castellan.server.access.DeviceMatch;

/**
 * A device group as stored: an optional match, an optional policy name and, when it is to be
 * written (create, a PUT naming them), its explicit members in {@code devices}. A row read back
 * has none there: members are paged and counted in the database ({@link SqlDeviceGroupStore#memberPage},
 * {@link SqlDeviceGroupStore#counts}), never loaded whole.
 *
 * @param matchFilling read back only: its rows of {@code device_group_matches} are being filled
 *     ({@link DeviceGroupMatchFill}) and may be missing or left from an earlier match, so whoever
 *     reads the group's matched devices tests its match on the devices instead
 */
public record DeviceGroupRow(String id, String name, List<String> devices, String matchHostname, String matchOs,
                             String policy, boolean matchFilling) {
    public record Match(String hostname, String os) {}

    /** A group to write (its match's rows are filled after, whatever this says). */
    public DeviceGroupRow(String id, String name, List<String> devices, String matchHostname, String matchOs,
                          String policy) {
        this(id, name, devices, matchHostname, matchOs, policy, false);
    }

    /** The match as the access evaluator checks it; null when the group has explicit members only. */
    public DeviceMatch accessMatch() {
        return matchHostname == null && matchOs == null ? null : DeviceMatch.of(matchHostname, matchOs);
    }

    /**
     * The group as one device sees it (for a row of {@link SqlDeviceGroupStore#definitions}): the
     * device is its only explicit member when {@code member}, else it has none. The access and
     * policy decisions for that device need no other member.
     */
    public DeviceGroup toAccessGroupFor(String deviceId, boolean member) {
        return new DeviceGroup(id, name, member ? Set.of(deviceId) : Set.of(), accessMatch());
    }

    /** Every group of {@code definitions} as {@code deviceId} sees it, given its explicit memberships. */
    public static List<DeviceGroup> asSeenBy(List<DeviceGroupRow> definitions, String deviceId, Set<String> explicitGroupIds) {
        List<DeviceGroup> out = new java.util.ArrayList<>(definitions.size());
        for (DeviceGroupRow row : definitions) {
            out.add(row.toAccessGroupFor(deviceId, explicitGroupIds.contains(row.id())));
        }
        return out;
    }

    /** The API form: {@code match} and {@code matchedCount} null when the group has explicit members only. */
    public DeviceGroupView view(SqlDeviceGroupStore.Counts counts) {
        boolean matches = matchHostname != null || matchOs != null;
        return new DeviceGroupView(id, name, matches ? new DeviceGroupView.Match(matchHostname, matchOs) : null, policy,
                counts.explicit(), matches ? counts.matched() : null);
    }
}
