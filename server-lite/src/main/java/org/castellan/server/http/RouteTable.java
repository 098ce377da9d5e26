package org.castellan.server.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Handler;
import java.util.ArrayList;
import java.util.List;

/**
 * Registers routes with Javalin and remembers them, so the OpenAPI document can be checked
 * against what the server really serves.
 */
public final class RouteTable {
    public record Route(String method, String path) {}

    private final JavalinConfig config;
    private final List<Route> routes = new ArrayList<>();

    public RouteTable(JavalinConfig config) {
        this.config = config;
    }

    public void get(String path, Handler handler) {
        routes.add(new Route("get", path));
        config.routes.get(path, handler);
    }

    public void post(String path, Handler handler) {
        routes.add(new Route("post", path));
        config.routes.post(path, handler);
    }

    public void put(String path, Handler handler) {
        routes.add(new Route("put", path));
        config.routes.put(path, handler);
    }

    public void delete(String path, Handler handler) {
        routes.add(new Route("delete", path));
        config.routes.delete(path, handler);
    }

    public List<Route> routes() {
        return List.copyOf(routes);
    }
}
