package org.castellan.server.web;

import java.time.Clock;
import java.time.Duration;
import org.castellan.server.admin.ChannelRoutes;
import org.castellan.server.admin.DeviceGroupMemberRoutes;
import org.castellan.server.admin.DeviceGroupRoutes;
import org.castellan.server.admin.DeviceRoutes;
import org.castellan.server.admin.JitRoutes;
import org.castellan.server.admin.RegistrationKeyRoutes;
import org.castellan.server.admin.RuleRoutes;
import org.castellan.server.admin.SecondFactorRoutes;
import org.castellan.server.admin.UserGroupRoutes;
import org.castellan.server.admin.UserRoutes;
import org.castellan.server.channels.ChannelStore;
import org.castellan.server.db.Database;
import org.castellan.server.devices.DeviceStore;
import org.castellan.server.groups.SqlDeviceGroupStore;
import org.castellan.server.groups.SqlUserGroupStore;
import org.castellan.server.users.SqlTotpStore;
import org.castellan.server.users.UserStore;

/**
 * The administration and just-in-time pages, built on the API's route objects (each page action
 * calls the same method the API's handler does) and the stores they read names from. The route
 * table ({@code ServerRoutes}) registers their handlers with their guards.
 */
public final class AdminConsole {
    /** The API's route objects the pages act through. */
    public record Api(RuleRoutes rules, UserRoutes users, UserGroupRoutes userGroups, DeviceGroupRoutes deviceGroups,
                      DeviceGroupMemberRoutes deviceGroupMembers,
                      RegistrationKeyRoutes registrationKeys, DeviceRoutes devices, ChannelRoutes channels,
                      JitRoutes jit, SecondFactorRoutes secondFactors) {}

    /** The stores the pages read names and states from (reads only). */
    public record Stores(Database db, UserStore users, SqlUserGroupStore userGroups, DeviceStore devices,
                         SqlDeviceGroupStore deviceGroups, ChannelStore channels, SqlTotpStore totps) {}

    private final AdminPages index = new AdminPages();
    private final RulePages rules;
    private final UserPages users;
    private final DeviceGroupPages deviceGroups;
    private final RegistrationKeyPages registrationKeys;
    private final DeviceAdminPages devices;
    private final ChannelPages channels;
    private final JitPages jit;

    public AdminConsole(Api api, Stores stores, Clock clock, Duration deletedRetention) {
        RefNames names = new RefNames(stores.db(), stores.users(), stores.userGroups(), stores.devices(),
                stores.deviceGroups(), stores.channels());
        rules = new RulePages(api.rules(), api.users(), api.userGroups(), api.deviceGroups(), api.channels(), names);
        users = new UserPages(api.users(), api.userGroups(), api.secondFactors(), stores.db(), stores.users(),
                stores.totps());
        deviceGroups = new DeviceGroupPages(api.deviceGroups(), api.deviceGroupMembers(), names);
        registrationKeys = new RegistrationKeyPages(api.registrationKeys(), api.deviceGroups(), clock);
        devices = new DeviceAdminPages(api.devices(), deletedRetention);
        channels = new ChannelPages(api.channels());
        jit = new JitPages(api.jit(), api.devices(), names);
    }

    public AdminPages index() {
        return index;
    }

    public RulePages rules() {
        return rules;
    }

    public UserPages users() {
        return users;
    }

    public DeviceGroupPages deviceGroups() {
        return deviceGroups;
    }

    public RegistrationKeyPages registrationKeys() {
        return registrationKeys;
    }

    public DeviceAdminPages devices() {
        return devices;
    }

    public ChannelPages channels() {
        return channels;
    }

    public JitPages jit() {
        return jit;
    }
}
