package org.castellan.server.http;

import java.util.Set;
import org.castellan.server.access.EffectiveAccess;
import org.castellan.server.access.Permission;
import org.castellan.server.devices.Device;
import org.castellan.server.users.Principal;

/**
 * A granted request on one device: who, which device, under which permission and rules, with the
 * reason given and the client address, ready for {@link Authorizer#recordGranted}.
 */
public record AuthorizedDevice(Principal principal, Device device, Permission permission, EffectiveAccess access,
                               String reason, String clientAddress, String auditAction) {
    /** True when a rule granting the permission requires a reason (then {@link #reason()} is set). */
    public boolean requireReason() {
        return access.requiresReasonFor(permission);
    }

    /** Minutes after which a revealed password expires; null when no rule asks for it. */
    public Integer rotateAfterReadMinutes() {
        return permission == Permission.PASSWORD_READ ? access.rotateAfterReadMinutes() : null;
    }

    /** Channels to notify about this use. */
    public Set<String> channels() {
        return access.channelsFor(permission);
    }
}
