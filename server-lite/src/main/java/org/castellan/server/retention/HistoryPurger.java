package org.castellan.server.retention;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.castellan.server.audit.AuditActions;
import org.castellan.server.audit.AuditEvent;
import org.castellan.server.audit.AuditLog;
import org.castellan.server.db.Database;
import org.castellan.server.devices.Device;
import org.castellan.server.devices.DeviceStore;
import org.castellan.server.policy.Policy;
import org.castellan.server.policy.PolicyLookup;
import org.castellan.server.rotation.RotationStore;

/**
 * Deletes old password history: per device, superseded and aborted passwords beyond the newest
 * {@code historyKeep} and older than {@code historyDays} of the device's policy. The current and
 * pending passwords are never touched. Each device's purge is audited ({@code history.purge}) in
 * the same transaction. Runs hourly in the {@link RetentionJob}; {@link #purge()} runs it now.
 */
public final class HistoryPurger {
    private final Database db;
    private final DeviceStore devices;
    private final RotationStore rotations;
    private final PolicyLookup policies;
    private final AuditLog audit;
    private final Clock clock;

    public HistoryPurger(Database db, DeviceStore devices, RotationStore rotations, PolicyLookup policies,
                         AuditLog audit, Clock clock) {
        this.db = db;
        this.devices = devices;
        this.rotations = rotations;
        this.policies = policies;
        this.audit = audit;
        this.clock = clock;
    }

    /** Purges every device now; returns how many passwords were deleted. */
    public int purge() {
        List<Device> all = db.read(c -> devices.list(c, null));
        int total = 0;
        for (Device device : all) {
            total += db.write(c -> {
                Policy policy = policies.forDevice(c, device);
                Instant keepSince = clock.instant().minus(Duration.ofDays(policy.historyDays()));
                int deleted = rotations.purgeHistory(c, device.id(), policy.historyKeep(), keepSince);
                if (deleted > 0) {
                    audit.append(c, new AuditEvent("system", AuditActions.HISTORY_PURGE, "ok", device.id(), null, null,
                            deleted + " old passwords deleted (policy " + policy.name() + ": keep "
                                    + policy.historyKeep() + ", " + policy.historyDays() + " days)"));
                }
                return deleted;
            });
        }
        return total;
    }
}
