package org.castellan.server.guard;

import io.javalin.http.Context;
import java.net.InetAddress;
import org.castellan.server.audit.AuditLog;
import org.castellan.server.db.Database;
import org.castellan.server.http.ClientAddresses;

/**
 * A request on an open route (no credential): where it comes from, and {@link #write} for the
 * audited ones (a login attempt). Rows name {@code anonymous} unless the work says who.
 */
public final class Visitor {
    private final Context ctx;
    private final ClientAddresses addresses;
    private final Database db;
    private final AuditLog audit;
    private final AnonymousDenials anonymous;

    Visitor(Context ctx, ClientAddresses addresses, Database db, AuditLog audit, AnonymousDenials anonymous) {
        this.anonymous = anonymous;
        this.ctx = ctx;
        this.addresses = addresses;
        this.db = db;
        this.audit = audit;
    }

    /** The client (trusted proxies honoured), e.g. to count login failures per address. */
    public InetAddress address() {
        return addresses.resolve(ctx);
    }

    /**
     * A refusal that its own limit already answers (a locked-out login), audited as
     * {@code refused} but coalesced per address and window ({@link AnonymousDenials}), so
     * hammering a lock cannot grow the log without bound.
     */
    public void refusedRepeatedly(String action, String subject, String why) {
        anonymous.refused(address(), action, subject, why);
    }

    public <T> T write(AuditedWrite<T> work) {
        String client = addresses.of(ctx);
        return db.write(c -> work.run(c, new RequestAudit(c, audit, "anonymous", null, client)));
    }
}
