package org.castellan.server.http;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;

/**
 * Headers on every response, whoever writes it (a Javalin handler, the error mapping, Jetty's
 * own refusals): {@code X-Content-Type-Options: nosniff}, and {@code Cache-Control: no-store} so no
 * proxy or browser keeps a copy of a revealed password, recovery key or token. The API answers
 * nothing worth caching, so every response gets it rather than relying on each secret-bearing
 * handler to remember. {@code Strict-Transport-Security} too: the server speaks HTTPS only, so
 * a browser (the web console) that met it once never tries plain HTTP for a year. The console's
 * Content-Security-Policy, no framing and no referrer, on everything alike.
 */
public final class SecurityHeaders implements HttpConfiguration.Customizer {
    public static final String NO_STORE = "no-store";
    public static final String HSTS = "max-age=31536000";
    /**
     * The web console's policy, on every response: only this origin's script, styles, images and
     * connections, no inline script or style, no plugin, no framing, forms post only here.
     */
    public static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self';"
            + " connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    @Override
    public Request customize(Request request, HttpFields.Mutable responseHeaders) {
        apply(responseHeaders);
        return request;
    }

    public static void apply(HttpFields.Mutable headers) {
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put(HttpHeader.CACHE_CONTROL, NO_STORE);
        headers.put(HttpHeader.STRICT_TRANSPORT_SECURITY, HSTS);
        headers.put("Content-Security-Policy", CSP);
        headers.put("X-Frame-Options", "DENY");
        headers.put("Referrer-Policy", "no-referrer");
    }
}
