package org.castellan.server.devices;

import java.util.List;
import java.util.Set;
import org.castellan.server.access.DeviceMatch;

/**
 * Which devices a caller may see, in a form the database can evaluate: every device, or those
 * named, those explicitly in one of the groups, those a saved group's match selects (kept as rows
 * in {@code device_group_matches}), or those an unsaved match selects (a group's preview). The
 * store turns it into SQL, so a list pages in the database for a non-admin too; the caller still
 * confirms each row with the full access decision.
 *
 * @param all every device (an admin, or a rule targeting {@code all})
 * @param deviceIds devices named by a rule target
 * @param explicitGroupIds groups whose explicit members are reached
 * @param matchedGroupIds saved groups with a match whose selected devices are reached
 * @param matches matches (host-name pattern and/or OS) not saved in any group, tested row by row
 */
public record DeviceScope(boolean all, Set<String> deviceIds, Set<String> explicitGroupIds, Set<String> matchedGroupIds,
                          List<DeviceMatch> matches) {
    public static final DeviceScope ALL = new DeviceScope(true, Set.of(), Set.of(), Set.of(), List.of());

    public DeviceScope {
        deviceIds = Set.copyOf(deviceIds);
        explicitGroupIds = Set.copyOf(explicitGroupIds);
        matchedGroupIds = Set.copyOf(matchedGroupIds);
        matches = List.copyOf(matches);
    }

    /** Named devices and explicit members only, or with unsaved matches: no saved group's match. */
    public DeviceScope(boolean all, Set<String> deviceIds, Set<String> explicitGroupIds, List<DeviceMatch> matches) {
        this(all, deviceIds, explicitGroupIds, Set.of(), matches);
    }

    /** True when no device at all is reachable: no query is needed. */
    public boolean isEmpty() {
        return !all && deviceIds.isEmpty() && explicitGroupIds.isEmpty() && matchedGroupIds.isEmpty() && matches.isEmpty();
    }
}
