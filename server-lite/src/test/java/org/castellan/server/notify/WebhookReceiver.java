package org.castellan.server.notify;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A real HTTP endpoint on 127.0.0.1 that records what it is sent and answers a chosen status. */
final class WebhookReceiver implements AutoCloseable {
    record Received(Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    final AtomicInteger status = new AtomicInteger(204);
    final AtomicInteger delayMillis = new AtomicInteger();
    /** While set and not yet counted down, each request is recorded and then held unanswered. */
    volatile java.util.concurrent.CountDownLatch gate;
    private volatile String location;
    private final int port;
    private HttpServer server;

    WebhookReceiver() throws IOException {
        this(0);
    }

    private WebhookReceiver(int port) throws IOException {
        start(port);
        this.port = server.getAddress().getPort();
    }

    private void start(int onPort) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 0);
        server.createContext("/hook", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                received.add(new Received(Map.copyOf(exchange.getRequestHeaders()), in.readAllBytes()));
            }
            java.util.concurrent.CountDownLatch held = gate;
            if (held != null) {
                try {
                    held.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (delayMillis.get() > 0) {
                try {
                    Thread.sleep(delayMillis.get());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (location != null) {
                exchange.getResponseHeaders().add("Location", location);
            }
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
        });
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + port + "/hook");
    }

    void redirectTo(String url) {
        location = url;
        status.set(302);
    }

    /** Takes the endpoint off the network: connections are refused. */
    void goDown() {
        server.stop(0);
    }

    /** Listens again on the same port. */
    void comeBack() throws IOException {
        start(port);
    }

    Received awaitOne(Duration timeout) throws InterruptedException {
        return awaitCount(1, timeout).get(0);
    }

    /** Waits until at least {@code n} requests arrived (failing after {@code timeout}); returns them all. */
    List<Received> awaitCount(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (received.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        if (received.size() < n) {
            throw new AssertionError(received.size() + " webhook(s) arrived within " + timeout + ", not " + n);
        }
        return List.copyOf(received);
    }

    @Override
    public void close() {
        java.util.concurrent.CountDownLatch held = gate;
        if (held != null) {
            held.countDown();
        }
        server.stop(0);
    }
}
