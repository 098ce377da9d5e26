package org.castellan.server.http;

import io.javalin.http.Context;
import java.util.Collections;
import java.util.List;

/**
 * The client address the audit log and the limits use: the socket peer, or what
 * {@code X-Forwarded-For} says only as far as configured trusted proxies vouch for it.
 */
public final class ClientAddresses {
    private final ClientAddressResolver resolver;

    public ClientAddresses(ClientAddressResolver resolver) {
        this.resolver = resolver;
    }

    public java.net.InetAddress resolve(Context ctx) {
        List<String> forwarded = Collections.list(ctx.req().getHeaders("X-Forwarded-For"));
        return resolver.resolve(ctx.req().getRemoteAddr(), forwarded);
    }

    public String of(Context ctx) {
        return resolve(ctx).getHostAddress();
    }
}
