package org.castellan.server.policy;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.castellan.server.access.DeviceGroup;
import org.castellan.server.access.PolicyResolver;
import org.castellan.server.devices.Device;
import org.castellan.server.groups.DeviceGroupRow;
import org.castellan.server.groups.SqlDeviceGroupStore;

/**
 * The policy that governs a device: the most specific device group carrying a policy wins
 * ({@link PolicyResolver}), else {@code default}. Check-in, registration, commit and the history
 * purge all ask here, so they agree.
 */
public final class PolicyLookup {
    private final PolicyStore policies;
    private final SqlDeviceGroupStore groups;

    public PolicyLookup(PolicyStore policies, SqlDeviceGroupStore groups) {
        this.policies = policies;
        this.groups = groups;
    }

    public Policy forDevice(Connection c, Device device) throws SQLException {
        // Group definitions and this device's explicit memberships only: never every member of every group.
        List<DeviceGroupRow> rows = groups.definitions(c);
        Map<String, String> policyByGroup = new HashMap<>();
        for (DeviceGroupRow row : rows) {
            if (row.policy() != null) {
                policyByGroup.put(row.id(), row.policy());
            }
        }
        List<DeviceGroup> accessGroups = DeviceGroupRow.asSeenBy(rows, device.id(), groups.explicitGroupsOf(c, device.id()));
        String name = PolicyResolver.resolve(device.facts(), accessGroups, policyByGroup).policyName();
        // A group may name a policy that was never written: it then has the built-in defaults.
        return policies.byName(c, name).orElseGet(() -> Policy.defaults(name));
    }
}
