package org.castellan.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;
import org.castellan.cli.CliException;
import org.castellan.cli.Session;
import org.castellan.cli.http.ApiResponse;
import org.castellan.cli.http.Endpoint;
import org.castellan.cli.http.LenientJson;

/**
 * Reads a list endpoint page by page: each answer is a JSON array and, when more rows exist,
 * names the next page's cursor in {@code X-Next-Cursor}, sent back as {@code ?after=}.
 */
final class Pages {
    /** A cursor loop (a server bug) must not make the CLI fetch forever. */
    private static final int MAX_PAGES = 10_000;

    private Pages() {}

    /** One page: its rows and the cursor of the next one (null on the last). */
    record Page(ArrayNode rows, String nextCursor) {}

    static Page one(Session session, String context, Endpoint endpoint) {
        ApiResponse response = session.api().get(context, endpoint);
        JsonNode rows = response.tree();
        if (!rows.isArray()) {
            throw new CliException(CliException.FAILED, context + ": the server's answer is not a list");
        }
        return new Page((ArrayNode) rows, response.nextCursor());
    }

    /**
     * Every row: follows the cursors until the last page. {@code endpointAfter} builds the request
     * for a cursor (null for the first page).
     */
    static ArrayNode all(Session session, String context, Function<String, Endpoint> endpointAfter) {
        ArrayNode all = LenientJson.mapper().createArrayNode();
        Set<String> seen = new HashSet<>();
        String cursor = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            Page current = one(session, context, endpointAfter.apply(cursor));
            all.addAll(current.rows());
            cursor = current.nextCursor();
            if (cursor == null) {
                return all;
            }
            if (!seen.add(cursor)) {
                throw new CliException(CliException.FAILED, context + ": the server sent the same page cursor twice;"
                        + " stopping after " + all.size() + " rows");
            }
        }
        throw new CliException(CliException.FAILED, context + ": more than " + MAX_PAGES + " pages; stopping");
    }

    /** Every row of a list resource that takes no other query parameters. */
    static ArrayNode all(Session session, String context, String... segments) {
        return all(session, context, cursor -> Endpoint.of(segments).query("after", cursor));
    }
}
