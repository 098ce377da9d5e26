package org.castellan.server.web;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import org.castellan.server.guard.ConsoleSessions;

/**
 * The console's HTML: escaping, and the page frame every page shares (stylesheet and one ES module
 * from the jar, no inline script or style, so the Content-Security-Policy can stay
 * {@code default-src 'self'}). Text from users or devices only ever goes in through {@link #esc}.
 */
final class Html {
    private Html() {}

    static String esc(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            switch (ch) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(ch);
            }
        }
        return out.toString();
    }

    /** The hidden CSRF field every form carries. */
    static String csrfField(Context ctx) {
        return "<input type=\"hidden\" name=\"" + ConsoleSessions.CSRF_FIELD + "\" value=\""
                + esc(ConsoleSessions.csrf(ctx)) + "\">";
    }

    /** A whole page; {@code userName} non-null adds the header with search and sign-out. */
    static void page(Context ctx, int status, String title, String userName, String body) {
        StringBuilder html = new StringBuilder(2048);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>").append(esc(title)).append(" · Castellan</title>")
                .append("<link rel=\"icon\" href=\"/assets/favicon.svg\" type=\"image/svg+xml\">")
                .append("<link rel=\"stylesheet\" href=\"/assets/console.css\">")
                .append("<script type=\"module\" src=\"/assets/console.js\"></script></head><body>")
                .append("<header><a class=\"brand\" href=\"/\">Castellan</a>");
        if (userName != null) {
            html.append("<nav>").append(Navigation.links(ctx))
                    .append("<span class=\"user\">").append(esc(userName)).append("</span>")
                    .append("<form method=\"post\" action=\"/sign-out\" class=\"inline\">").append(csrfField(ctx))
                    .append("<button type=\"submit\" id=\"sign-out\">Sign out</button></form></nav>");
        }
        html.append("</header><main>").append(body).append("</main></body></html>\n");
        ctx.status(status);
        ctx.contentType("text/html; charset=utf-8");
        ctx.result(html.toString().getBytes(StandardCharsets.UTF_8));
    }

    static String message(String cssClass, String text) {
        return text == null ? "" : "<p class=\"" + cssClass + "\" role=\"alert\">" + esc(text) + "</p>";
    }
}
