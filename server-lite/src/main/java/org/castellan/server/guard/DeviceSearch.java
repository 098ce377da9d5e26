package org.castellan.server.guard;

import java.util.List;
import java.util.function.Function;
import org.castellan.server.access.Permission;
import org.castellan.server.devices.Device;

/**
 * A request for one permission across the devices a search finds (a recovery key looked up by
 * its id prefix): each candidate is decided on its own, refusals are audited and left out.
 */
public final class DeviceSearch {
    private final Caller caller;
    private final PermissionGuard guard;
    private final AccessAudit accessAudit;
    private final Permission permission;
    private final String action;
    private final String reason;

    DeviceSearch(Caller caller, PermissionGuard guard, AccessAudit accessAudit, Permission permission, String action,
                 String reason) {
        this.caller = caller;
        this.guard = guard;
        this.accessAudit = accessAudit;
        this.permission = permission;
        this.action = action;
        this.reason = reason;
    }

    /**
     * The candidates the caller may use the permission on. The search counts once against the
     * reveal limit (429); each refusal is audited and notified like a single-device request.
     */
    public List<DeviceGrant> permitted(List<Device> candidates) {
        return guard.permitted(this, candidates);
    }

    /** Records every grant (detail per device) in one transaction; a search that found nothing is recorded too. */
    public void record(List<DeviceGrant> grants, Function<Device, String> detail, String nothingFound) {
        caller.write(c -> {
            for (DeviceGrant grant : grants) {
                accessAudit.granted(c, grant, detail.apply(grant.device()));
            }
            if (nothingFound != null) {
                accessAudit.grantedNothing(c, caller, action, reason, nothingFound);
            }
            return null;
        });
    }

    /** The caller's user name (for the page that shows the result). */
    public String principalName() {
        return caller.principal().userName();
    }

    Caller caller() {
        return caller;
    }

    Permission permission() {
        return permission;
    }

    String action() {
        return action;
    }

    String reason() {
        return reason;
    }
}
