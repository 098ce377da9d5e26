package org.castellan.e2e;

import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.castellan.protocol.tls.PinnedTrust;

/** Plain HTTPS calls for what the CLI deliberately does not do (e.g. guessing device ids). */
final class RawApi {
    record Answer(int status, String body) {}

    private RawApi() {}

    static Answer get(ServerProcess server, String path, String token) throws Exception {
        PinnedTrust trust = PinnedTrust.pinned(server.fingerprint());
        OkHttpClient http = new OkHttpClient.Builder().sslSocketFactory(trust.socketFactory(), trust.trustManager())
                .hostnameVerifier((h, s) -> true).build();
        Request request = new Request.Builder().url(server.url() + path).header("Authorization", "Bearer " + token).build();
        try (Response response = http.newCall(request).execute()) {
            return new Answer(response.code(), response.body().string());
        }
    }
}
