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
        CountDownLatch stopping = new CountDownLatch(1);
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
                    // The rest of the body goes only once the stop has begun, so the request is in
                    // flight across it whatever the machine's load (no sleep decides the outcome).
                    stopping.await(10, TimeUnit.SECONDS);
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
        // Wait until the request has reached the handler, which is now blocked reading the body.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.server.requestsInFlight() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(server.server.requestsInFlight()).isEqualTo(1);
        CompletableFuture<Void> stop = CompletableFuture.runAsync(server.server::stop);
        while (!stop.isDone() && !server.server.draining()) {
            Thread.sleep(5);
        }
        assertThat(stop).as("the stop waits for the request in flight").isNotDone();
        stopping.countDown();
        stop.get(15, TimeUnit.SECONDS);

        TestServer.Reply reply = inFlight.get(15, TimeUnit.SECONDS);
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        assertThat(DbSnapshot.count(dataDir, "SELECT COUNT(*) FROM registration_keys WHERE name = 'drained'")).isEqualTo(1);
        server.http.dispatcher().executorService().shutdown();
    }
}
