package org.castellan.server.guard;

import java.net.InetAddress;
import org.castellan.server.audit.AuditLog;
import org.castellan.server.db.Database;
import org.castellan.server.devices.Device;

/**
 * An agent request whose signature verified, as its handler sees it: the device, the exact body
 * bytes, the client address, and {@link #write}, the one transaction that also records the
 * request's nonce. A handler never touches the nonce store; if it returns without writing, the
 * guard records the nonce on its own ({@link #finish}), so no accepted request can be replayed.
 */
public final class AgentRequest {
    private final SignedRequest signed;
    private final InetAddress client;
    private final String clientAddress;
    private final Database db;
    private final NonceStore nonces;
    private final AuditLog audit;
    private boolean nonceRecorded;
    private final AnonymousDenials anonymous;

    AgentRequest(SignedRequest signed, InetAddress client, Database db, NonceStore nonces, AuditLog audit,
                 AnonymousDenials anonymous) {
        this.anonymous = anonymous;
        this.signed = signed;
        this.client = client;
        this.clientAddress = client.getHostAddress();
        this.db = db;
        this.nonces = nonces;
        this.audit = audit;
    }

    /** The calling device; null for a registration (the device does not exist yet). */
    public Device device() {
        return signed.device();
    }

    /** The body exactly as received and signed. */
    public byte[] body() {
        return signed.body();
    }

    /** The client (trusted proxies honoured), e.g. to limit registrations per address. */
    public InetAddress client() {
        return client;
    }

    /**
     * Runs read-only {@code work} on a pooled connection, outside any transaction of this request:
     * what a handler must know before it writes, such as the stored envelopes it compares with what
     * the agent sent (opened outside the write, {@link org.castellan.server.vault.EnvelopeOpens}).
     * Records nothing; the write re-reads what it relies on.
     */
    public <T> T read(org.castellan.server.db.SqlWork<T> work) {
        return db.read(work);
    }

    /**
     * Runs {@code work} in one write transaction together with recording this request's nonce
     * (a concurrent replay loses there). Audit rows name the device ({@code device:ID}) unless
     * the work says otherwise. At most once per request that commits: the nonce can be recorded
     * only once. A write whose work threw kept nothing, its nonce neither, so it may be tried again.
     */
    public <T> T write(AuditedWrite<T> work) {
        return write(work, false);
    }

    /**
     * As {@link #write}, for a request whose writes are bookkeeping the server can do without
     * (a plain check-in: its nonce and last-seen time): it may be answered before the commit is on
     * disk ({@link Database#writeBookkeeping}). The nonce stays safe across an operating-system
     * crash through the agent guard's fence; an audit row the work appends is durable all the same.
     */
    public <T> T writeBookkeeping(AuditedWrite<T> work) {
        return write(work, true);
    }

    private <T> T write(AuditedWrite<T> work, boolean bookkeeping) {
        if (nonceRecorded) {
            throw new IllegalStateException("an agent request writes once (its nonce is recorded with that write)");
        }
        Device device = signed.device();
        String principal = device == null ? "anonymous" : "device:" + device.id();
        String deviceId = device == null ? null : device.id();
        org.castellan.server.db.SqlWork<T> unit = c -> {
            nonces.record(c, signed);
            return work.run(c, new RequestAudit(c, audit, principal, deviceId, clientAddress));
        };
        T result = bookkeeping ? db.writeBookkeeping(unit) : db.write(unit);
        nonceRecorded = true;
        return result;
    }

    /**
     * A refusal that its own limit already answers (a rate-limited registration), audited as
     * {@code refused} but coalesced per address and window ({@link AnonymousDenials}); the request
     * throws afterwards, so nothing else is written and its nonce is not recorded.
     */
    public void refusedRepeatedly(String action, String subject, String why) {
        anonymous.refused(client, action, subject, why);
    }

    /** After a handler returned normally: the nonce is recorded even if it wrote nothing. */
    void finish() {
        if (!nonceRecorded) {
            write((c, rows) -> null);
        }
    }
}
