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
import org.castellan.server.devices.DeviceQuery;
import org.castellan.server.devices.DeviceScope;
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
    private static final int PAGE = 500;
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

    /**
     * Purges every device now; returns how many passwords were deleted. Walks the fleet a page at
     * a time (never every device in memory) and purges each page in one write.
     */
    public int purge() {
        int total = 0;
        String after = null;
        while (true) {
            String from = after;
            List<Device> page = db.read(c -> devices.page(c, new DeviceQuery(DeviceScope.ALL, null, from, PAGE)));
            if (page.isEmpty()) {
                return total;
            }
            total += db.write(c -> {
                int deleted = 0;
                for (Device device : page) {
                    deleted += purge(c, device);
                }
                return deleted;
            });
            after = page.get(page.size() - 1).id();
        }
    }

    private int purge(java.sql.Connection c, Device device) throws java.sql.SQLException {
        Policy policy = policies.forDevice(c, device);
        Instant keepSince = clock.instant().minus(Duration.ofDays(policy.historyDays()));
        int deleted = rotations.purgeHistory(c, device.id(), policy.historyKeep(), keepSince);
        if (deleted > 0) {
            audit.append(c, new AuditEvent("system", AuditActions.HISTORY_PURGE, "ok", device.id(), null, null,
                    deleted + " old passwords deleted (policy " + policy.name() + ": keep "
                            + policy.historyKeep() + ", " + policy.historyDays() + " days)"));
        }
        return deleted;
    }

    private volatile java.util.function.BooleanSupplier leader = () -> true;

    /** The scheduled purge runs only while {@code newLeader} says this node runs it (one node of several). */
    public void runWhen(java.util.function.BooleanSupplier newLeader) {
        this.leader = newLeader;
    }

    /** The scheduled run: purges when this node leads; returns how many were deleted, -1 when another node leads. */
    public int purgeIfLeader() {
        return leader.getAsBoolean() ? purge() : -1;
    }
}
