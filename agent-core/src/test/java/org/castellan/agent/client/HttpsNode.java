package org.castellan.agent.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.castellan.agent.fake.FakeServer;
import org.castellan.agent.fake.SimulatedCrash;
import org.castellan.protocol.AgentPaths;
import org.castellan.protocol.ApiError;
import org.castellan.protocol.Json;
import org.castellan.protocol.messages.CheckInRequest;
import org.castellan.protocol.messages.EscrowRequest;
import org.castellan.protocol.messages.RegisterRequest;
import org.castellan.protocol.messages.RotationOutcome;

/**
 * One server node over real HTTPS: the agent API's JSON in and out, the work done by a
 * {@link FakeServer} that several nodes share (as real nodes share their database). A node can
 * answer 503 like castellan-server whose database is unreachable, be stopped (connection
 * refused), or die in the middle of a call: when the shared server throws {@link SimulatedCrash}
 * the connection is dropped without an answer and the node stops.
 */
final class HttpsNode implements AutoCloseable {
    enum Mode { SERVING, UNAVAILABLE }

    private final FakeServer shared;
    private final HttpsServer https;
    final URI url;
    final List<String> received = new CopyOnWriteArrayList<>();
    volatile Mode mode = Mode.SERVING;
    private volatile boolean stopped;

    HttpsNode(SelfSignedTls tls, FakeServer shared) throws IOException {
        this.shared = shared;
        https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
        https.createContext("/", this::handle);
        https.start();
        url = URI.create("https://127.0.0.1:" + https.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().getRawPath();
        received.add(path);
        if (mode == Mode.UNAVAILABLE) {
            exchange.getResponseHeaders().add("Retry-After", "2");
            answer(exchange, 503, new ApiError("database-unavailable",
                    "the database cannot be reached; nothing was changed; retry shortly"));
            return;
        }
        Object result;
        int status = 200;
        try {
            synchronized (shared) {
                result = dispatch(path, body);
            }
            if (path.equals(AgentPaths.REGISTER)) {
                status = 201;
            }
        } catch (ServerException e) {
            answer(exchange, e.status(), new ApiError(e.code(), e.serverMessage()));
            return;
        } catch (SimulatedCrash crash) {
            // The process died: whatever the work did is done, the caller hears nothing.
            exchange.close();
            stopAsync();
            return;
        }
        answer(exchange, status, result);
    }

    private Object dispatch(String path, byte[] body) throws IOException, ServerException {
        if (path.equals(AgentPaths.REGISTER)) {
            return shared.register(Json.mapper().readValue(body, RegisterRequest.class));
        }
        if (path.equals(AgentPaths.CHECK_IN)) {
            return shared.checkIn(Json.mapper().readValue(body, CheckInRequest.class));
        }
        if (path.equals(AgentPaths.ROTATIONS)) {
            return shared.escrow(Json.mapper().readValue(body, EscrowRequest.class));
        }
        String prefix = AgentPaths.ROTATIONS + "/";
        if (path.startsWith(prefix) && path.endsWith("/commit")) {
            return shared.commit(path.substring(prefix.length(), path.length() - "/commit".length()),
                    Json.mapper().readValue(body, RotationOutcome.class));
        }
        if (path.startsWith(prefix) && path.endsWith("/abort")) {
            return shared.abort(path.substring(prefix.length(), path.length() - "/abort".length()),
                    Json.mapper().readValue(body, RotationOutcome.class));
        }
        throw new ServerException(404, "not-found", "no such endpoint");
    }

    private static void answer(HttpExchange exchange, int status, Object message) throws IOException {
        byte[] out = Json.mapper().writeValueAsBytes(message);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, out.length);
        exchange.getResponseBody().write(out);
        exchange.close();
    }

    /** Stops listening: the next connection is refused. */
    void stop() {
        stopped = true;
        https.stop(0);
    }

    boolean stopped() {
        return stopped;
    }

    private void stopAsync() {
        stopped = true;
        Thread stopper = new Thread(() -> https.stop(0), "stop-" + url.getPort());
        stopper.setDaemon(true);
        stopper.start();
    }

    @Override
    public void close() {
        if (!stopped) {
            stop();
        }
    }
}
