package org.castellan.server.http;

import io.javalin.http.Handler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Serves the hand-written OpenAPI 3 document from the class path. */
public final class OpenApiRoutes {
    public static final String PATH = "/api/v1/openapi.json";
    public static final String RESOURCE = "/openapi.json";

    private OpenApiRoutes() {}

    public static byte[] document() {
        try (InputStream in = OpenApiRoutes.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("openapi.json missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read openapi.json", e);
        }
    }

    /** Answers with the document (read once, at start-up). */
    public static Handler handler() {
        byte[] document = document();
        return ctx -> ctx.contentType("application/json").result(document);
    }
}
