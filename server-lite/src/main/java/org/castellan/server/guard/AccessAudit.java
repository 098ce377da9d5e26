package org.castellan.server.guard;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import org.castellan.server.access.Permission;
import org.castellan.server.access.Rule;
import org.castellan.server.audit.AuditEvent;
import org.castellan.server.audit.AuditLog;
import org.castellan.server.devices.Device;
import org.castellan.server.http.Metrics;
import org.castellan.server.notify.NotificationEvent;
import org.castellan.server.notify.NotificationOutbox;

/**
 * Access auditing (promise 3): every use of a permission on a device, granted or denied, becomes
 * an audit row with the principal, device, reason and client address, notifies the channels of
 * the rules involved, and is counted. Only here; always in the transaction of the use itself, so
 * the record, the notification and what they describe commit together.
 */
public final class AccessAudit {
    private final AuditLog audit;
    private final NotificationOutbox outbox;
    private final Metrics metrics;
    private final Clock clock;

    public AccessAudit(AuditLog audit, NotificationOutbox outbox, Metrics metrics, Clock clock) {
        this.audit = audit;
        this.outbox = outbox;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** A refused attempt; {@code device} null when there is none to name (unknown id, no token). */
    record Denial(String principal, String action, Permission permission, String deviceId, Device device, String reason,
                  String clientAddress, String why, List<Rule> rulesToNotify) {}

    void granted(Connection c, DeviceGrant grant, String detail) throws SQLException {
        Caller caller = grant.caller();
        // A tombstone's secret stays readable until purged: the row says it was a deleted device's.
        String recorded = grant.device().deleted()
                ? (detail == null ? "" : detail + "; ") + "device deleted at " + grant.device().deletedAt() : detail;
        audit.append(c, new AuditEvent(caller.principal().id(), grant.action(), "granted", grant.device().id(),
                grant.reason(), caller.clientAddress(), recorded));
        Permission permission = grant.permission();
        String type = eventType(permission, grant.action());
        if (type != null) {
            NotificationEvent event = NotificationEvent.of(type, clock.instant(), grant.device().id(),
                    grant.device().hostname(), caller.principal().id(), grant.reason(),
                    grant.access().rulesGranting(permission).stream().map(Rule::id).toList());
            for (String channel : grant.access().channelsFor(permission)) {
                outbox.enqueue(c, channel, event);
            }
        }
        if (permission.revealsSecret()) {
            metrics.reveal(true);
        }
    }

    /** A use that named no device (a key-id search that matched nothing): on record all the same. */
    void grantedNothing(Connection c, Caller caller, String action, String reason, String detail) throws SQLException {
        audit.append(c, new AuditEvent(caller.principal().id(), action, "granted", null, reason, caller.clientAddress(),
                detail));
    }

    /** A refusal the handler decides (the route's permission held, the request did not): audited and notified. */
    void refused(Connection c, DeviceGrant grant, String why) throws SQLException {
        denied(c, new Denial(grant.caller().principal().id(), grant.action(), grant.permission(), grant.device().id(),
                grant.device(), grant.reason(), grant.caller().clientAddress(), why,
                grant.access().rulesGranting(grant.permission())));
    }

    void denied(Connection c, Denial d) throws SQLException {
        audit.append(c, new AuditEvent(d.principal(), d.action(), "denied", d.deviceId(), d.reason(), d.clientAddress(),
                d.why()));
        if (d.device() != null) {
            NotificationEvent notification = NotificationEvent.of(NotificationEvent.REVEAL_DENIED, clock.instant(),
                    d.device().id(), d.device().hostname(), d.principal(), d.reason(),
                    d.rulesToNotify().stream().map(Rule::id).toList());
            for (String channel : d.rulesToNotify().stream().flatMap(r -> r.channels().stream()).distinct().toList()) {
                outbox.enqueue(c, channel, notification);
            }
        }
        if (d.permission().revealsSecret()) {
            metrics.reveal(false);
        }
    }

    /** A refusal without a credential, written by {@link AnonymousDenials}: counted here like the others. */
    void countAnonymousDenial(Permission permission) {
        if (permission.revealsSecret()) {
            metrics.reveal(false);
        }
    }

    private static String eventType(Permission permission, String action) {
        return switch (permission) {
            case DEVICE_JIT -> NotificationEvent.jitEvent(action);
            case PASSWORD_READ -> NotificationEvent.PASSWORD_REVEALED;
            case PASSWORD_HISTORY -> NotificationEvent.PASSWORD_HISTORY_READ;
            case RECOVERY_KEY_READ -> NotificationEvent.RECOVERY_KEY_REVEALED;
            case DEVICE_ROTATE -> NotificationEvent.ROTATION_REQUESTED;
            case DEVICE_MANAGE -> null;
        };
    }
}
