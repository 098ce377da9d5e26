package org.castellan.server.devices;

import java.util.List;
import java.util.Set;
import org.castellan.server.access.DeviceMatch;

/**
 * Which devices a caller may see, in a form the database can evaluate: every device, or those
 * named, those explicitly in one of the groups, or those a group's match selects. The store turns
 * it into a WHERE clause, so a list pages in SQL for a non-admin too; the caller still confirms
 * each row with the full access decision.
 *
 * @param all every device (an admin, or a rule targeting {@code all})
 * @param deviceIds devices named by a rule target
 * @param explicitGroupIds groups whose explicit members are reached
 * @param matches matches (host-name pattern and/or OS) of the groups reached
 */
public record DeviceScope(boolean all, Set<String> deviceIds, Set<String> explicitGroupIds, List<DeviceMatch> matches) {
    public static final DeviceScope ALL = new DeviceScope(true, Set.of(), Set.of(), List.of());

    public DeviceScope {
        deviceIds = Set.copyOf(deviceIds);
        explicitGroupIds = Set.copyOf(explicitGroupIds);
        matches = List.copyOf(matches);
    }

    /** True when no device at all is reachable: no query is needed. */
    public boolean isEmpty() {
        return !all && deviceIds.isEmpty() && explicitGroupIds.isEmpty() && matches.isEmpty();
    }
}
