package org.castellan.cli.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.util.Arrays;
import org.castellan.cli.CliException;

/**
 * A successful response's status and body bytes. Bodies may hold secrets: {@link #wipe()} them
 * once read. Parse failures name the request, never quote the body.
 */
public final class ApiResponse {
    private final String context;
    private final int status;
    private final byte[] body;
    private final String nextCursor;

    ApiResponse(String context, int status, byte[] body, String nextCursor) {
        this.context = context;
        this.status = status;
        this.body = body;
        this.nextCursor = nextCursor == null || nextCursor.isBlank() ? null : nextCursor;
    }

    /** The {@code X-Next-Cursor} header of a list answer: where the next page starts; null on the last page. */
    public String nextCursor() {
        return nextCursor;
    }

    public int status() {
        return status;
    }

    public boolean hasBody() {
        return body.length > 0;
    }

    /** The body as a JSON tree; a missing node when the body is empty. */
    public JsonNode tree() {
        if (body.length == 0) {
            return MissingNode.getInstance();
        }
        try {
            return StreamingJson.tree(body, LenientJson::mapper);
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    public <T> T read(Class<T> type) {
        try {
            return LenientJson.mapper().readValue(body, type);
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    /**
     * As {@link #read(Class)}, trying {@code streaming} first: a reader of the plain shape that
     * gives the mapper's result or null, when the mapper must read the body after all.
     */
    public <T> T read(Class<T> type, java.util.function.Function<byte[], T> streaming) {
        T value = streaming.apply(body);
        return value != null ? value : read(type);
    }

    public void wipe() {
        Arrays.fill(body, (byte) 0);
    }

    private CliException unreadable(IOException e) {
        // Jackson messages can quote the body (which may hold a password): give the location only.
        String where = e instanceof com.fasterxml.jackson.core.JacksonException jackson && jackson.getLocation() != null
                ? " at line " + jackson.getLocation().getLineNr() + ", column " + jackson.getLocation().getColumnNr()
                : "";
        return new CliException(CliException.FAILED, context + ": the server's answer (HTTP " + status
                + ") is not the JSON this CLI expects" + where + "; is the CLI older than the server?");
    }
}
