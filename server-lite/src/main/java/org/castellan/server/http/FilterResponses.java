package org.castellan.server.http;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.castellan.protocol.ApiError;
import org.castellan.protocol.Json;

/** The JSON error body written by the servlet filters that run before Javalin (and its error mapping). */
final class FilterResponses {
    private FilterResponses() {}

    static void refuse(HttpServletResponse response, int status, String code, String message) throws IOException {
        byte[] body = Json.mapper().writeValueAsBytes(new ApiError(code, message));
        response.setStatus(status);
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
