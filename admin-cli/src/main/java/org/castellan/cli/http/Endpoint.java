package org.castellan.cli.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A path under {@code /api/v1} plus query parameters. Segments and values are kept raw here and
 * percent-encoded by {@link ServerUrl} when the URL is built, so an id or a reason with spaces, slashes or
 * {@code &} cannot change the request's shape.
 */
public final class Endpoint {
    private final List<String> segments;
    private final Map<String, String> query = new LinkedHashMap<>();

    private Endpoint(List<String> segments) {
        this.segments = segments;
    }

    public static Endpoint of(String... segments) {
        return new Endpoint(new ArrayList<>(List.of(segments)));
    }

    /** Adds {@code name=value}; a null value is left out. */
    public Endpoint query(String name, String value) {
        if (value != null) {
            query.put(name, value);
        }
        return this;
    }

    List<String> segments() {
        return segments;
    }

    Map<String, String> queryParameters() {
        return query;
    }
}
