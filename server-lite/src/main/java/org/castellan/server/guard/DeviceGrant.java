package org.castellan.server.guard;

import org.castellan.server.access.EffectiveAccess;
import org.castellan.server.access.Permission;
import org.castellan.server.devices.Device;
import org.castellan.server.http.ApiException;
import org.castellan.server.users.Principal;

/**
 * A request granted {@link #permission()} on one device, as its handler sees it: the device, the
 * principal, the reason given, what the rules ask for, and {@link #use}, the one transaction that
 * does the work and records the grant. The principal enters the decision once and the grant is
 * recorded from this object: nothing is handed back and forth.
 */
public final class DeviceGrant {
    private final Caller caller;
    private final Device device;
    private final Permission permission;
    private final String action;
    private final EffectiveAccess access;
    private final String reason;
    private final AccessAudit accessAudit;

    DeviceGrant(Caller caller, Device device, Permission permission, String action, EffectiveAccess access,
                String reason, AccessAudit accessAudit) {
        this.caller = caller;
        this.device = device;
        this.permission = permission;
        this.action = action;
        this.access = access;
        this.reason = reason;
        this.accessAudit = accessAudit;
    }

    public Device device() {
        return device;
    }

    public Principal principal() {
        return caller.principal();
    }

    /** The reason the caller gave ({@code ?reason=}), or null. */
    public String reason() {
        return reason;
    }

    /** Minutes after which a revealed password (or Castellan-held LUKS key) is replaced; null when no rule asks for it. */
    public Integer rotateAfterReadMinutes() {
        return permission == Permission.PASSWORD_READ ? access.rotateAfterReadMinutes()
                : permission == Permission.RECOVERY_KEY_READ ? access.rotateAfterReadMinutesFor(permission) : null;
    }

    /**
     * Runs {@code work} and records the grant (audit row {@code granted} with the detail the work
     * returns, the rules' notifications, the token's use) in one transaction: a reveal is one trip
     * through the database writer, and its record exists exactly when the secret was handed out.
     */
    public <T> T use(AuditedWork<T> work) {
        return caller.write(c -> {
            Audited<T> done = work.run(c);
            accessAudit.granted(c, this, done.detail());
            return done.value();
        });
    }

    /**
     * The route's permission held but the handler refuses this request (e.g. a requester approving
     * their own request): the refusal is audited ({@code denied}, with {@code why}) and the
     * rules' channels notified, in its own transaction; returns {@code answer} for the handler to throw.
     */
    public ApiException refuse(String why, ApiException answer) {
        caller.write(c -> {
            accessAudit.refused(c, this, why);
            return null;
        });
        return answer;
    }

    /** The channels of the rules granting this permission: who hears about its use. */
    public java.util.Set<String> channels() {
        return access.channelsFor(permission);
    }

    /** True when a rule granting this permission asks for a second person's approval. */
    public boolean approvalRequired() {
        return access.requiresApprovalFor(permission);
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

    EffectiveAccess access() {
        return access;
    }
}
