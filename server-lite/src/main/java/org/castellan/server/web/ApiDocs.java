package org.castellan.server.web;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import org.castellan.server.guard.Visitor;
import org.castellan.server.http.ApiException;
import org.castellan.server.http.OpenApiRoutes;
import org.castellan.server.http.SecurityHeaders;

/**
 * {@code /api/docs}: the OpenAPI document ({@value OpenApiRoutes#PATH}) rendered by swagger-ui,
 * every asset served from the {@code org.webjars:swagger-ui} jar on the class path (nothing from
 * another origin), started by an external initializer script so the strict Content-Security-Policy
 * holds here too.
 */
public final class ApiDocs {
    public static final String PATH = "/api/docs";
    private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";
    private static final Map<String, String> TYPES = Map.of(
            "swagger-ui.css", "text/css; charset=utf-8",
            "swagger-ui-bundle.js", "text/javascript; charset=utf-8",
            "favicon-32x32.png", "image/png",
            "initializer.js", "text/javascript; charset=utf-8");
    private final String version;
    private final Map<String, byte[]> files;
    private final byte[] page;

    public ApiDocs() {
        this.version = webjarVersion();
        this.files = Map.of(
                "swagger-ui.css", load(WEBJAR + version + "/swagger-ui.css"),
                "swagger-ui-bundle.js", load(WEBJAR + version + "/swagger-ui-bundle.js"),
                "favicon-32x32.png", load(WEBJAR + version + "/favicon-32x32.png"),
                "initializer.js", load("api-docs/initializer.js"));
        this.page = ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>Castellan API · swagger-ui " + version + "</title>"
                + "<link rel=\"icon\" href=\"" + PATH + "/favicon-32x32.png\" type=\"image/png\">"
                + "<link rel=\"stylesheet\" href=\"" + PATH + "/swagger-ui.css\">"
                + "<script src=\"" + PATH + "/swagger-ui-bundle.js\" defer></script>"
                + "<script src=\"" + PATH + "/initializer.js\" defer></script></head>"
                + "<body><div id=\"swagger-ui\"></div>"
                + "<noscript><p>The API documentation needs JavaScript; the document itself is at <a href=\""
                + OpenApiRoutes.PATH + "\">" + OpenApiRoutes.PATH + "</a>.</p></noscript></body></html>\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** The swagger-ui version the jar on the class path carries. */
    public String version() {
        return version;
    }

    /**
     * The console's policy with one addition for this page: swagger-ui draws its icons as
     * {@code data:} SVG images. Images only; scripts, styles and connections stay {@code 'self'}.
     */
    public static final String CSP = SecurityHeaders.CSP.replace("img-src 'self';", "img-src 'self' data:;");

    public void page(Context ctx, Visitor visitor) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.contentType("text/html; charset=utf-8");
        ctx.result(page);
    }

    public void asset(Context ctx, Visitor visitor) {
        String name = ctx.pathParam("file");
        byte[] file = files.get(name);
        if (file == null) {
            throw ApiException.notFound("not-found", "no such file of the API documentation");
        }
        ctx.contentType(TYPES.get(name));
        ctx.result(file);
    }

    private static String webjarVersion() {
        Properties pom = new Properties();
        try (InputStream in = ApiDocs.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("the org.webjars:swagger-ui jar is missing from the class path");
            }
            pom.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pom.getProperty("version");
    }

    private static byte[] load(String resource) {
        try (InputStream in = ApiDocs.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("API documentation asset " + resource + " is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
