package org.castellan.server.groups;

import java.util.List;
import java.util.Set;
import org.castellan.api.DeviceGroupView;
import org.castellan.server.access.DeviceGroup;
import org.castellan.server.access.DeviceMatch;

/**
 * A device group as stored: explicit members, an optional match, an optional policy name.
 * {@link #toAccessGroup()} gives the form the access evaluator and policy resolver use.
 */
public record DeviceGroupRow(String id, String name, List<String> devices, String matchHostname, String matchOs,
                             String policy) {
    public record Match(String hostname, String os) {}

    public DeviceGroup toAccessGroup() {
        DeviceMatch match = matchHostname == null && matchOs == null ? null : DeviceMatch.of(matchHostname, matchOs);
        return new DeviceGroup(id, name, Set.copyOf(devices), match);
    }

    /** The API form: {@code match} null when the group has explicit members only. */
    public DeviceGroupView view() {
        return new DeviceGroupView(id, name, devices, matchHostname == null && matchOs == null ? null
                : new DeviceGroupView.Match(matchHostname, matchOs), policy);
    }
}
