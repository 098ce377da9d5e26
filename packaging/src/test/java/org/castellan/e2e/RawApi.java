package org.castellan.e2e;

import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.castellan.protocol.Json;
import org.castellan.protocol.tls.PinnedTrust;

/** Plain HTTPS calls for what the CLI deliberately does not do (e.g. guessing device ids). */
final class RawApi {
    /** @param retryAfter the {@code Retry-After} header, or null */
    record Answer(int status, String body, String retryAfter) {
        /** The JSON error code of an error answer ({@code {"error":"…"}}), or null. */
        String error() {
            try {
                return Json.tolerant().readTree(body).path("error").asText(null);
            } catch (java.io.IOException e) {
                return null;
            }
        }

        static Answer of(Response response) throws java.io.IOException {
            return new Answer(response.code(), response.body().string(), response.header("Retry-After"));
        }
    }

    private RawApi() {}

    /** A client that pins {@code server}'s certificate (every node of a cluster serves the same one). */
    static OkHttpClient client(ServerProcess server) {
        PinnedTrust trust = PinnedTrust.pinned(server.fingerprint());
        return new OkHttpClient.Builder().sslSocketFactory(trust.socketFactory(), trust.trustManager())
                .hostnameVerifier((h, s) -> true).build();
    }

    static Answer get(ServerProcess server, String path, String token) throws Exception {
        Request request = new Request.Builder().url(server.url() + path).header("Authorization", "Bearer " + token).build();
        try (Response response = client(server).newCall(request).execute()) {
            return Answer.of(response);
        }
    }
}
