package org.castellan.server.http;

import java.nio.ByteBuffer;
import org.castellan.protocol.ApiError;
import org.castellan.protocol.Json;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The project's JSON error body for what Jetty answers itself, before Javalin routes anything: a
 * request line, header or URI it cannot parse (400, 414, 431, 505), a bad percent-encoding or
 * UTF-8 in the path, an ambiguous path, {@code OPTIONS *}. Jetty's own handler writes an HTML page
 * (or an empty body for methods other than GET, POST and HEAD). Installed on the {@code Server}
 * and on the servlet context, so both error paths answer alike.
 *
 * <p>The message is chosen here from the status, never Jetty's reason text, which can quote the
 * offending character or the URI back to the client.
 */
public final class JettyErrors extends ErrorHandler {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        if (request.getAttribute(ERROR_EXCEPTION) instanceof HttpException http) {
            status = http.getCode();
        }
        if (status < 400 || status > 599) {
            status = 500;
        }
        response.setStatus(status);
        SecurityHeaders.apply(response.getHeaders());
        if (HttpStatus.hasNoBody(status) || "HEAD".equals(request.getMethod())) {
            callback.succeeded();
            return true;
        }
        byte[] body = body(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, Integer.toString(body.length));
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }

    static byte[] body(int status) {
        ApiError error = switch (status) {
            case 400 -> new ApiError("bad-request", "the request is malformed (request line, header, URI encoding "
                    + "or UTF-8); it was not processed");
            case 404 -> new ApiError("not-found", "no such endpoint");
            case 405 -> new ApiError("method-not-allowed", "this endpoint does not take that method");
            case 408 -> new ApiError("request-timeout", "the request was not received in time");
            case 413 -> new ApiError("body-too-large", "request body is larger than " + RequestLimits.MAX_BODY_BYTES
                    + " bytes");
            case 414 -> new ApiError("uri-too-long", "the request URI is too long");
            case 426 -> new ApiError("upgrade-required", "this server speaks HTTP/1.1 over TLS");
            case 431 -> new ApiError("headers-too-large", "the request headers are too large");
            case 501 -> new ApiError("not-implemented", "the server does not implement that method");
            case 505 -> new ApiError("http-version-not-supported", "only HTTP/1.0 and HTTP/1.1 are supported");
            case 503 -> new ApiError("unavailable", "the server cannot take this request now; retry later");
            default -> status >= 500
                    ? new ApiError("internal-error", "the server failed to handle this request; see the server log")
                    : new ApiError("bad-request", "the request was refused (HTTP " + status + ")");
        };
        try {
            return Json.mapper().writeValueAsBytes(error);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write an error body", e);
        }
    }
}
