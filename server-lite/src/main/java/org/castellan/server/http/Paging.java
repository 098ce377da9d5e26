package org.castellan.server.http;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * {@code ?limit=} (1..1000, default 100) and {@code ?after=} (the opaque cursor from the previous
 * page's {@code X-Next-Cursor} header). Lists are ordered by a unique key; the cursor is the last
 * key shown, base64url-encoded so that clients treat it as opaque. {@link #after} is the decoded key.
 */
public record Paging(int limit, String after) {
    public static final String NEXT_CURSOR = "X-Next-Cursor";

    public static Paging of(Context ctx) {
        String cursor = TextRules.optional(emptyToNull(ctx.queryParam("after")), "after", 400);
        return new Paging(limit(ctx.queryParam("limit")), cursor == null ? null : decode(cursor));
    }

    /** The cursor of a page whose last key is {@code key}. */
    public static String cursor(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("k1:" + key).getBytes(StandardCharsets.UTF_8));
    }

    /** Sets the next-cursor header when the page is full and more remain. */
    public static void next(Context ctx, String lastKey) {
        ctx.header(NEXT_CURSOR, cursor(lastKey));
    }

    /** The key an opaque cursor (a previous page's {@link #NEXT_CURSOR}) stands for; 400 when it is none. */
    public static String key(String cursor) {
        return decode(cursor);
    }

    private static String decode(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (text.startsWith("k1:") && text.length() > 3) {
                return text.substring(3);
            }
        } catch (IllegalArgumentException e) {
            // falls through
        }
        throw ApiException.badRequest("invalid-after", "'after' must be the X-Next-Cursor value of a previous page");
    }

    /** One page of {@code all} (sorted by {@code key}), setting the next-cursor header when more remain. */
    public <T> List<T> page(Context ctx, List<T> all, Function<T, String> key) {
        List<T> sorted = new ArrayList<>(all);
        sorted.sort((a, b) -> key.apply(a).compareTo(key.apply(b)));
        List<T> out = new ArrayList<>();
        for (T item : sorted) {
            if (after != null && key.apply(item).compareTo(after) <= 0) {
                continue;
            }
            if (out.size() == limit) {
                next(ctx, key.apply(out.get(out.size() - 1)));
                break;
            }
            out.add(item);
        }
        return out;
    }

    public static int limit(String value) {
        if (value == null || value.isEmpty()) {
            return 100;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= 1000) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // falls through
        }
        throw ApiException.badRequest("invalid-limit", "'limit' must be a number from 1 to 1000");
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
