package org.castellan.server.guard;

import org.castellan.server.audit.AuditEvent;
import org.castellan.server.audit.AuditLog;
import org.castellan.server.db.Database;
import org.castellan.server.db.SqlWork;
import org.castellan.server.db.StorageException;
import org.castellan.server.users.Principal;

/**
 * An authenticated admin-API request: who is calling, from where, and {@link #act}, the one way an
 * admin action writes. Its writes also record the token's last use, so an action is one trip
 * through the database writer; a request that writes nothing records it once at the end.
 */
public final class Caller {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Caller.class);
    private final Principal principal;
    private final String clientAddress;
    private final Database db;
    private final UseRecorder authentication;
    private final AuditLog audit;
    private final boolean console;
    private final java.time.Instant secondFactorAt;
    private boolean useRecorded;

    Caller(Principal principal, String clientAddress, Database db, UseRecorder authentication, AuditLog audit) {
        this(principal, clientAddress, db, authentication, audit, false, null);
    }

    /** {@code console}: a web console session, which can show a second factor (at {@code secondFactorAt}, or null). */
    Caller(Principal principal, String clientAddress, Database db, UseRecorder authentication, AuditLog audit,
           boolean console, java.time.Instant secondFactorAt) {
        this.console = console;
        this.secondFactorAt = secondFactorAt;
        this.principal = principal;
        this.clientAddress = clientAddress;
        this.db = db;
        this.authentication = authentication;
        this.audit = audit;
    }

    public Principal principal() {
        return principal;
    }

    public String clientAddress() {
        return clientAddress;
    }

    /** True for a web console session; false for an API token, which never carries a second factor. */
    public boolean console() {
        return console;
    }

    /** When this session last showed a second factor (TOTP, or the identity provider's MFA); null: never. */
    public java.time.Instant secondFactorAt() {
        return secondFactorAt;
    }

    /**
     * An admin action: runs {@code work} and appends its audit row ({@code action}, the detail
     * the work returns, this caller and address, outcome {@code ok}) in one transaction, so the
     * change and its record commit together or not at all. No row when the work reports
     * {@link Audited#unchanged}.
     */
    public <T> T act(String action, AuditedWork<T> work) {
        return act(action, null, null, work);
    }

    /** {@link #act(String, AuditedWork)} about one device, with the reason the caller gave, both on the row. */
    public <T> T act(String action, String deviceId, String reason, AuditedWork<T> work) {
        return write(c -> {
            Audited<T> done = work.run(c);
            if (done.changed()) {
                audit.append(c, new AuditEvent(principal.id(), action, "ok", deviceId, reason, clientAddress,
                        done.detail()));
            }
            return done.value();
        });
    }

    /**
     * A refused request on record (outcome {@code denied}), in its own transaction: for refusals
     * no guard sees, such as a look-up that finds nothing the caller may see.
     */
    public void denied(String action, String deviceId, String detail) {
        write(c -> {
            audit.append(c, new AuditEvent(principal.id(), action, "denied", deviceId, null, clientAddress, detail));
            return null;
        });
    }

    /** Every write of this request goes through here: the token's last use rides along with the first one. */
    <T> T write(SqlWork<T> work) {
        boolean recordUse = !useRecorded;
        java.time.Instant[] at = new java.time.Instant[1];
        T result = db.write(c -> {
            if (recordUse) {
                at[0] = authentication.recordUse(c, principal);
            }
            return work.run(c);
        });
        if (at[0] != null) {
            authentication.useRecorded(principal, at[0]);
        }
        useRecorded = true;
        return result;
    }

    /**
     * After the handler, whatever its outcome: a request that wrote nothing still records the token's use,
     * unless it was recorded less than {@link Authentication#RECORD_USE_EVERY} ago.
     * That is bookkeeping, so a busy database or a full disk does not stop a lookup that writes nothing
     * else (what must be audited still fails closed in its own write).
     */
    void finish() {
        if (useRecorded || !authentication.useNeedsRecording(principal)) {
            return; // recorded by this request's write, or by another request less than a minute ago
        }
        try {
            write(c -> null);
        } catch (StorageException e) {
            if (e.unavailableCode() == null) {
                throw e;
            }
            useRecorded = true;
            LOG.warn("token last-use not recorded ({}): {}", e.unavailableCode(), e.toString());
        }
    }
}
