package org.castellan.server.retention;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.castellan.server.audit.AuditActions;
import org.castellan.server.audit.AuditEvent;
import org.castellan.server.audit.AuditLog;
import org.castellan.server.db.Database;
import org.castellan.server.devices.Device;
import org.castellan.server.devices.DeviceStore;
import org.castellan.server.recovery.RecoveryKeyStore;

/**
 * The retention job's second half (promise 1: deleting is never one call that destroys the last
 * password): deleted devices whose {@code retention} has passed are purged with their passwords
 * and recovery keys ({@code device.purge}), and recovery keys of volumes a device stopped
 * reporting, removed longer than {@code retention} ago, are deleted ({@code recovery-key.purge}).
 * Principal {@code system}; each device in its own transaction with its audit row.
 */
public final class TombstonePurger {
    private final Database db;
    private final DeviceStore devices;
    private final RecoveryKeyStore recoveryKeys;
    private final AuditLog audit;
    private final Duration retention;
    private final Clock clock;

    public TombstonePurger(Database db, DeviceStore devices, RecoveryKeyStore recoveryKeys, AuditLog audit,
                           Duration retention, Clock clock) {
        this.db = db;
        this.devices = devices;
        this.recoveryKeys = recoveryKeys;
        this.audit = audit;
        this.retention = retention;
        this.clock = clock;
    }

    public Duration retention() {
        return retention;
    }

    private volatile BooleanSupplier leader = () -> true;

    /** The scheduled purge runs only while {@code newLeader} says this node runs it (one node of several). */
    public void runWhen(BooleanSupplier newLeader) {
        this.leader = newLeader;
    }

    /** The scheduled run: purges when this node leads; returns how many went, -1 when another node leads. */
    public int purgeIfLeader() {
        return leader.getAsBoolean() ? purge() : -1;
    }

    /** Purges what is due now; returns how many devices and removed-volume keys went. */
    public int purge() {
        Instant cutoff = clock.instant().minus(retention);
        int purged = 0;
        for (Device device : db.read(c -> devices.deletedBefore(c, cutoff))) {
            purged += db.write(c -> {
                if (devices.byId(c, device.id()).filter(Device::deleted).isEmpty()) {
                    return 0; // purged by an admin meanwhile
                }
                DeviceStore.Purged gone = devices.purge(c, device.id());
                audit.append(c, new AuditEvent("system", AuditActions.DEVICE_PURGE, "ok", device.id(), null, null,
                        describe(gone, device) + " (retention " + retention.toDays() + " days)"));
                return 1;
            });
        }
        List<String> withRemovedKeys = db.read(c -> recoveryKeys.devicesWithKeysRemovedBefore(c, cutoff));
        for (String deviceId : withRemovedKeys) {
            purged += db.write(c -> {
                int deleted = recoveryKeys.purgeRemoved(c, deviceId, cutoff);
                if (deleted > 0) {
                    audit.append(c, new AuditEvent("system", AuditActions.RECOVERY_KEY_PURGE, "ok", deviceId, null, null,
                            deleted + " recovery keys of removed volumes deleted (removed more than "
                                    + retention.toDays() + " days ago)"));
                }
                return deleted;
            });
        }
        return purged;
    }

    /** The audit detail of a device purge. */
    public static String describe(DeviceStore.Purged gone, Device device) {
        return "hostname " + device.hostname() + ", deleted at " + device.deletedAt() + ": " + gone.passwords()
                + " passwords and " + gone.recoveryKeys() + " recovery keys purged";
    }
}
