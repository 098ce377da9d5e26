package org.castellan.server.http;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
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

    /**
     * What a page shows of {@code rows}, which the database returned in key order with one row
     * more than {@link #limit} when another page follows: that extra row is dropped and the
     * next-cursor header names the last row shown.
     */
    public <T> List<T> shown(Context ctx, List<T> rows, Function<T, String> key) {
        if (rows.size() <= limit) {
            return rows;
        }
        List<T> page = rows.subList(0, limit);
        next(ctx, key.apply(page.get(limit - 1)));
        return page;
    }

    /**
     * The key of a list in time order, ties broken by id (registration keys by creation, just-in-time
     * requests newest first): "epoch-milliseconds:id" inside the opaque cursor.
     */
    public record TimeKey(long millis, String id) {
        public static TimeKey of(java.time.Instant at, String id) {
            return new TimeKey(at.toEpochMilli(), id);
        }

        /** The key a cursor's decoded {@link #after} stands for; null for none; 400 {@code invalid-after} when it is not one. */
        public static TimeKey parse(String key) {
            if (key == null) {
                return null;
            }
            int colon = key.indexOf(':');
            if (colon > 0 && colon < key.length() - 1) {
                try {
                    return new TimeKey(Long.parseLong(key.substring(0, colon)), key.substring(colon + 1));
                } catch (NumberFormatException e) {
                    // falls through
                }
            }
            throw ApiException.badRequest("invalid-after", "'after' must be the X-Next-Cursor value of a previous page");
        }

        @Override
        public String toString() {
            return millis + ":" + id;
        }
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
