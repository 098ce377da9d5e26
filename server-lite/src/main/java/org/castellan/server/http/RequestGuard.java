package org.castellan.server.http;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * Refuses, before Javalin sees it, a request that Jetty parsed but that is still malformed for
 * this API, with the JSON error body and the status HTTP prescribes:
 * <ul>
 *   <li>a method that is not one of HTTP's (methods are case-sensitive, so {@code get} is unknown
 *       too): 501, RFC 9110 section 9.1. Javalin answered {@code get} with an empty 500;</li>
 *   <li>{@code TRACE} and {@code CONNECT}, which no route takes: 405;</li>
 *   <li>a query string with bad percent-encoding or invalid UTF-8: 400
 *       {@code malformed-query} (Javalin passed {@code %zz} through as text);</li>
 *   <li>a {@code Content-Type} that does not parse as a media type, or appears twice: 400
 *       {@code malformed-content-type}.</li>
 * </ul>
 */
public final class RequestGuard implements Filter {
    static final Set<String> ROUTABLE = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");
    static final Set<String> NOT_ALLOWED = Set.of("TRACE", "CONNECT");

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        HttpServletResponse out = (HttpServletResponse) response;
        String method = http.getMethod();
        if (NOT_ALLOWED.contains(method)) {
            FilterResponses.refuse(out, 405, "method-not-allowed", "this endpoint does not take that method");
            return;
        }
        if (!ROUTABLE.contains(method)) {
            FilterResponses.refuse(out, 501, "method-not-implemented",
                    "the server does not implement that method (methods are case-sensitive)");
            return;
        }
        if (!QueryStrings.wellFormed(http.getQueryString())) {
            FilterResponses.refuse(out, 400, "malformed-query",
                    "the query string has bad percent-encoding or invalid UTF-8");
            return;
        }
        List<String> contentTypes = Collections.list(http.getHeaders("Content-Type"));
        if (contentTypes.size() > 1 || (contentTypes.size() == 1 && !ContentType.wellFormed(contentTypes.get(0)))) {
            FilterResponses.refuse(out, 400, "malformed-content-type", "the Content-Type header is malformed");
            return;
        }
        chain.doFilter(request, response);
    }
}
