package org.castellan.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okio.BufferedSink;
import org.castellan.server.testing.DbSnapshot;
import org.castellan.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stopping the server lets a request that is already in flight finish and commit. */
class GracefulStopTest {
    @TempDir
    Path dataDir;

    @Test
    void inFlightRequestCompletesDuringStop() throws Exception {
        TestServer server = TestServer.start(dataDir);
        CountDownLatch started = new CountDownLatch(1);
        RequestBody slowBody = new RequestBody() {
            @Override
            public MediaType contentType() {
                return TestServer.JSON;
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                sink.writeUtf8("{\"name\":");
                sink.flush();
                started.countDown();
                try {
                    Thread.sleep(700); // below Jetty's 1 s shutdown idle timeout for stalled connections
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                sink.writeUtf8("\"drained\"}");
            }
        };
        CompletableFuture<TestServer.Reply> inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                return server.call(new Request.Builder().url(server.url("/api/v1/registration-keys"))
                        .header("Authorization", "Bearer " + server.adminToken).post(slowBody).build());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(200); // the request has reached the handler, which is reading the body
        server.server.stop();

        TestServer.Reply reply = inFlight.get(15, TimeUnit.SECONDS);
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        assertThat(DbSnapshot.count(dataDir, "SELECT COUNT(*) FROM registration_keys WHERE name = 'drained'")).isEqualTo(1);
        server.http.dispatcher().executorService().shutdown();
    }
}
