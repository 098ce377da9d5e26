package org.castellan.server.http;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * The HTTP method of a request is the one on its request line, and nothing else.
 *
 * <p>Javalin's {@code Context.method()} (which its router uses) takes the {@code X-HTTP-Method-Override}
 * header over the request line, so a {@code POST} carrying {@code X-HTTP-Method-Override: DELETE}
 * was routed to the DELETE handler. This servlet filter sits in front of Javalin's servlet and refuses,
 * before any routing or handler runs, every request that carries a method-override header or query
 * parameter, whether or not something in the stack would honour that particular spelling today.
 * Refusing (rather than silently dropping the header) tells a client that tunnels methods that it
 * must send the real method.
 */
public final class MethodOverrideGuard implements Filter {
    /** Header names that some framework or proxy reads as "use this method instead" (compared case-insensitively). */
    static final Set<String> HEADERS = Set.of("x-http-method-override", "x-http-method", "x-method-override");
    /** Query parameter names that frameworks read the same way (Rails, Laravel, Spring, Google APIs). */
    static final Set<String> PARAMETERS = Set.of("_method", "_httpmethod", "x-http-method-override",
            "x-http-method", "x-method-override", "$method");

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        if (carriesOverride(http)) {
            refuse((HttpServletResponse) response);
            return;
        }
        chain.doFilter(request, response);
    }

    static boolean carriesOverride(HttpServletRequest request) {
        var names = request.getHeaderNames();
        while (names.hasMoreElements()) {
            if (HEADERS.contains(names.nextElement().toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return queryNamesOverride(request.getQueryString());
    }

    /** Reads parameter names from the query string only: the body is never touched here. */
    static boolean queryNamesOverride(String query) {
        if (query == null || query.isEmpty()) {
            return false;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String rawName = eq < 0 ? pair : pair.substring(0, eq);
            if (PARAMETERS.contains(decode(rawName).toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    private static String decode(String raw) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return raw; // malformed escapes are refused elsewhere; here only the name matters
        }
    }

    private static void refuse(HttpServletResponse response) throws IOException {
        FilterResponses.refuse(response, 400, "method-override-refused",
                "method-override headers and parameters are not accepted; send the HTTP method itself");
    }
}
