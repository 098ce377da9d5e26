package org.castellan.server.testing;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.bouncycastle.util.encoders.Base32;
import org.castellan.server.users.Totp;

/**
 * A browser's part in the web console over real HTTPS, without a browser: keeps cookies as the
 * server sets them, reads the CSRF token out of the last page, posts forms, follows no redirect
 * on its own (tests look at each answer).
 */
public final class ConsoleClient {
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]*)\"");
    private static final Pattern SECRET = Pattern.compile("id=\"totp-secret\">([A-Z2-7]+)<");
    private final TestServer server;
    private final OkHttpClient http;
    public final Map<String, String> cookies = new LinkedHashMap<>();
    public String csrf = "";

    public ConsoleClient(TestServer server) {
        this.server = server;
        this.http = server.http.newBuilder().followRedirects(false).connectionPool(new okhttp3.ConnectionPool()).build();
    }

    /** An answer; {@code setCookies} as sent. */
    public record Page(int status, String body, String location, List<String> setCookies, okhttp3.Headers headers) {}

    public Page get(String path) throws IOException {
        return call(new Request.Builder().url(server.url(path)).get());
    }

    /** Posts a form; the CSRF token of the last page is added unless {@code fields} names "csrf". */
    public Page post(String path, Map<String, String> fields) throws IOException {
        FormBody.Builder form = new FormBody.Builder();
        if (!fields.containsKey("csrf")) {
            form.add("csrf", csrf);
        }
        fields.forEach((k, v) -> {
            if (v != null) {
                form.add(k, v);
            }
        });
        return call(new Request.Builder().url(server.url(path)).post(form.build()));
    }

    /**
     * Posts exactly {@code fields} (repeated names allowed, the CSRF field only if listed): what a
     * browser sends for a form, e.g. {@link #fieldsOf}.
     */
    public Page submit(String path, List<Map.Entry<String, String>> fields) throws IOException {
        FormBody.Builder form = new FormBody.Builder();
        fields.forEach(f -> form.add(f.getKey(), f.getValue()));
        return call(new Request.Builder().url(server.url(path)).post(form.build()));
    }

    private static final Pattern TAG = Pattern.compile("<input\\b([^>]*)>|<select\\b([^>]*)>(.*?)</select>",
            Pattern.DOTALL);
    private static final Pattern OPTION = Pattern.compile("<option\\b([^>]*)>", Pattern.DOTALL);
    private static final Pattern ATTRIBUTE = Pattern.compile("([a-zA-Z-]+)(?:=\"([^\"]*)\")?");

    /**
     * The fields a browser submits for form {@code formId} of {@code page} as it stands, in order:
     * inputs with a name (check boxes only when ticked) and each select's selected options (the
     * first option when none is). Fails when the page has no such form.
     */
    public static List<Map.Entry<String, String>> fieldsOf(Page page, String formId) {
        String body = page.body();
        int start = body.indexOf("id=\"" + formId + "\"");
        int end = start < 0 ? -1 : body.indexOf("</form>", start);
        if (start < 0 || end < 0 || body.lastIndexOf("<form", start) < 0) {
            throw new AssertionError("no form " + formId + " on the page: " + body);
        }
        List<Map.Entry<String, String>> out = new java.util.ArrayList<>();
        Matcher tag = TAG.matcher(body.substring(start, end));
        while (tag.find()) {
            boolean input = tag.group(1) != null;
            Map<String, String> attributes = attributes(input ? tag.group(1) : tag.group(2));
            String name = attributes.get("name");
            if (name == null) {
                continue;
            }
            if (input) {
                boolean box = "checkbox".equals(attributes.get("type")) || "radio".equals(attributes.get("type"));
                if (!box || attributes.containsKey("checked")) {
                    out.add(Map.entry(name, attributes.getOrDefault("value", box ? "on" : "")));
                }
                continue;
            }
            Matcher option = OPTION.matcher(tag.group(3) == null ? "" : tag.group(3));
            String first = null;
            boolean any = false;
            while (option.find()) {
                Map<String, String> o = attributes(option.group(1));
                first = first == null ? o.getOrDefault("value", "") : first;
                if (o.containsKey("selected")) {
                    out.add(Map.entry(name, o.getOrDefault("value", "")));
                    any = true;
                }
            }
            if (!any && first != null && !attributes.containsKey("multiple")) {
                out.add(Map.entry(name, first));
            }
        }
        return out;
    }

    private static Map<String, String> attributes(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = ATTRIBUTE.matcher(text);
        while (m.find()) {
            out.put(m.group(1), m.group(2) == null ? "" : unescape(m.group(2)));
        }
        return out;
    }

    private static String unescape(String html) {
        return html.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&amp;", "&");
    }

    private Page call(Request.Builder builder) throws IOException {
        if (!cookies.isEmpty()) {
            StringBuilder header = new StringBuilder();
            cookies.forEach((k, v) -> header.append(header.length() == 0 ? "" : "; ").append(k).append('=').append(v));
            builder.header("Cookie", header.toString());
        }
        try (Response response = http.newCall(builder.build()).execute()) {
            List<String> set = response.headers("Set-Cookie");
            for (String cookie : set) {
                String pair = cookie.split(";", 2)[0];
                int eq = pair.indexOf('=');
                String name = pair.substring(0, eq);
                String value = pair.substring(eq + 1);
                if (value.isEmpty() || cookie.contains("Max-Age=0")) {
                    cookies.remove(name);
                } else {
                    cookies.put(name, value);
                }
            }
            String body = response.body().string();
            Matcher m = CSRF.matcher(body);
            if (m.find()) {
                csrf = m.group(1);
            }
            return new Page(response.code(), body, response.header("Location"), set, response.headers());
        }
    }

    /** The TOTP seed the enrolment page showed. */
    public static byte[] seedFrom(Page page) {
        Matcher m = SECRET.matcher(page.body());
        if (!m.find()) {
            throw new AssertionError("no TOTP secret on the page: " + page.body());
        }
        String b32 = m.group(1);
        return Base32.decode(b32 + "=".repeat((8 - b32.length() % 8) % 8));
    }

    public static String code(byte[] seed, java.time.Instant at) {
        return Totp.code(seed, Totp.step(at), Totp.DIGITS);
    }

    /**
     * Signs in with name and password, enrols TOTP on the way when {@code seed} is null, and returns
     * the seed in use. Fails unless the console lands on its search page.
     */
    public byte[] signIn(String name, String password, byte[] seed, java.time.Instant now) throws IOException {
        get("/sign-in");
        Page afterPassword = post("/sign-in", Map.of("name", name, "password", password));
        if (afterPassword.status() != 303) {
            throw new AssertionError("password step: " + afterPassword.status() + " " + afterPassword.body());
        }
        Page second = get("/sign-in/second-factor");
        byte[] used = seed != null ? seed : seedFrom(second);
        Page done = post("/sign-in/second-factor", Map.of("code", code(used, now)));
        if (done.status() != 303 || !"/".equals(done.location())) {
            throw new AssertionError("second factor: " + done.status() + " " + done.body());
        }
        get("/");
        return used;
    }
}
