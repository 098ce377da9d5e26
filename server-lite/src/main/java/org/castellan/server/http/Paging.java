package org.castellan.server.http;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * {@code ?limit=} (1..1000, default 100) and {@code ?after=} (the opaque cursor from the previous
 * page's {@code X-Next-Cursor} header). Lists are ordered by a unique key; the cursor is the last
 * key shown.
 */
public record Paging(int limit, String after) {
    public static final String NEXT_CURSOR = "X-Next-Cursor";

    public static Paging of(Context ctx) {
        return new Paging(limit(ctx.queryParam("limit")), TextRules.optional(emptyToNull(ctx.queryParam("after")), "after", 200));
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
                ctx.header(NEXT_CURSOR, key.apply(out.get(out.size() - 1)));
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
