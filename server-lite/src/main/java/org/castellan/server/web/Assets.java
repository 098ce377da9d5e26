package org.castellan.server.web;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import org.castellan.server.guard.Visitor;

/** The console's stylesheet and script, served from the jar (no third-party origin, nothing downloaded). */
public final class Assets {
    private static final Map<String, String> TYPES = Map.of(
            "console.css", "text/css; charset=utf-8",
            "console.js", "text/javascript; charset=utf-8",
            "favicon.svg", "image/svg+xml");
    private final Map<String, byte[]> files;

    public Assets() {
        this.files = Map.of("console.css", load("console.css"), "console.js", load("console.js"),
                "favicon.svg", load("favicon.svg"));
    }

    public static java.util.Set<String> names() {
        return TYPES.keySet();
    }

    public void serve(Context ctx, Visitor visitor) {
        String name = ctx.path().substring(ctx.path().lastIndexOf('/') + 1);
        ctx.contentType(TYPES.get(name));
        ctx.result(files.get(name));
    }

    private static byte[] load(String name) {
        try (InputStream in = Assets.class.getResourceAsStream("/console/" + name)) {
            if (in == null) {
                throw new IllegalStateException("console asset " + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
