package org.castellan.server.guard;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.Optional;
import org.castellan.server.audit.AuditLog;
import org.castellan.server.db.Database;
import org.castellan.server.http.ApiException;
import org.castellan.server.http.ClientAddresses;

/**
 * The authenticated and admin guards: a live bearer token or 401; for admin routes also the
 * built-in admin role, else 403 {@code forbidden}. The handler gets the {@link Caller}; the
 * token's last use is recorded with the request's first write, or once after the handler.
 */
public final class CallerGuard {
    private final Authentication authentication;
    private final ClientAddresses addresses;
    private final AuditLog audit;
    private final Database db;
    private final AnonymousDenials anonymous;

    public CallerGuard(Authentication authentication, ClientAddresses addresses, AuditLog audit, Database db,
                       AnonymousDenials anonymous) {
        this.anonymous = anonymous;
        this.authentication = authentication;
        this.addresses = addresses;
        this.audit = audit;
        this.db = db;
    }

    void authenticated(Context ctx, Routes.CallerHandler handler) throws Exception {
        Caller caller = caller(ctx);
        try {
            handler.handle(ctx, caller);
        } finally {
            caller.finish();
        }
    }

    void admin(Context ctx, Routes.CallerHandler handler) throws Exception {
        Caller caller = caller(ctx);
        try {
            if (!caller.principal().admin()) {
                throw Refusals.forbidden();
            }
            handler.handle(ctx, caller);
        } finally {
            caller.finish();
        }
    }

    void open(Context ctx, Routes.OpenHandler handler) throws Exception {
        handler.handle(ctx, new Visitor(ctx, addresses, db, audit, anonymous));
    }

    /**
     * A GET reads only, so it records the token's use before it reads (a token listing shows this
     * very use); any other request records it with its own write.
     */
    private Caller caller(Context ctx) {
        Caller caller = tryCaller(ctx).orElseThrow(() -> authentication.refusal(ctx));
        if (ctx.method() == HandlerType.GET) {
            caller.finish();
        }
        return caller;
    }

    Optional<Caller> tryCaller(Context ctx) {
        return authentication.principal(ctx).map(p -> new Caller(p, addresses.of(ctx), db, authentication, audit));
    }

    /** 401 saying why the request has no caller and how to get a token that works. */
    ApiException refusal(Context ctx) {
        return authentication.refusal(ctx);
    }

    /** A caller authenticated some other way (a console session), whose use {@code recorder} records. */
    Caller callerFor(Context ctx, org.castellan.server.users.Principal principal, UseRecorder recorder) {
        return new Caller(principal, addresses.of(ctx), db, recorder, audit);
    }

    /** A console session's caller, with when it last showed a second factor (null: never). */
    Caller consoleCaller(Context ctx, org.castellan.server.users.Principal principal, UseRecorder recorder,
                         java.time.Instant secondFactorAt) {
        return new Caller(principal, addresses.of(ctx), db, recorder, audit, true, secondFactorAt);
    }

    Visitor visitor(Context ctx) {
        return new Visitor(ctx, addresses, db, audit, anonymous);
    }

    String clientAddress(Context ctx) {
        return addresses.of(ctx);
    }

    java.net.InetAddress client(Context ctx) {
        return addresses.resolve(ctx);
    }
}
