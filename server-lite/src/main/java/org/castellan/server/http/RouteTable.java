package org.castellan.server.http;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import io.javalin.router.EndpointMetadata;
import io.javalin.router.ParsedEndpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Registers routes with Javalin, each with its guard, and remembers them (the OpenAPI document
 * and the route-guard test check them against what the server really serves). The guard travels
 * with the route into Javalin as endpoint metadata, so Javalin's own route list says which guard
 * protects each route and {@link #unguarded} finds any route registered some other way.
 */
public final class RouteTable {
    /** The name of the access rule a route is registered with (open, agent-signed, admin, ...). */
    public record Guard(String name) implements EndpointMetadata {
        public Guard {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a guard needs a name");
            }
        }
    }

    public record Route(String method, String path, String guard) {}

    private final JavalinConfig config;
    private final List<Route> routes = new ArrayList<>();

    public RouteTable(JavalinConfig config) {
        this.config = config;
    }

    /** Called by the guarded route builders only (an architecture test holds everything else to them). */
    public void add(HandlerType method, String path, Guard guard, Handler handler) {
        Objects.requireNonNull(guard, () -> method + " " + path + " has no guard");
        config.routes.addEndpoint(Endpoint.create(method, path).addMetadata(guard).handler(handler));
        routes.add(new Route(method.name().toLowerCase(Locale.ROOT), path, guard.name()));
    }

    public List<Route> routes() {
        return List.copyOf(routes);
    }

    /** Every HTTP route Javalin serves that carries no guard, as {@code METHOD path}; empty when all do. */
    public static List<String> unguarded(Javalin app) {
        return served(app).stream().filter(route -> route.guard() == null)
                .map(route -> route.method().toUpperCase(Locale.ROOT) + " " + route.path()).toList();
    }

    /** The guard Javalin holds for each of its HTTP routes ({@code METHOD path} → guard name, null when none). */
    public static List<Route> served(Javalin app) {
        List<Route> out = new ArrayList<>();
        for (ParsedEndpoint parsed : app.unsafe.internalRouter.allHttpHandlers()) {
            Endpoint endpoint = parsed.endpoint;
            if (endpoint.method.isHttpMethod()) {
                Guard guard = endpoint.metadata(Guard.class);
                out.add(new Route(endpoint.method.name().toLowerCase(Locale.ROOT), endpoint.path,
                        guard == null ? null : guard.name()));
            }
        }
        return out;
    }
}
