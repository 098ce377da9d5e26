package org.castellan.protocol.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import javax.net.ssl.HttpsURLConnection;

/**
 * HTTPS requests of a client process (the agent, the admin CLI) through the JDK's
 * {@link HttpsURLConnection}, with the rules both clients keep in this one place: the given
 * {@link PinnedTrust} (a pinned certificate is the server's identity, whatever its host name),
 * no redirect followed (it could carry a token or a signed request elsewhere), no request sent a
 * second time by the HTTP layer, bodies streamed from the caller's array (no copy left behind
 * for nobody to wipe), answers read to a bound, and a connection that failed half-way never
 * reused.
 *
 * <p>The JDK client is part of {@code java.base} and already in the class-data archive: a client
 * that makes a few requests and exits is ready in a fraction of the time a client library with
 * its own runtime takes (docs/performance.md). It keeps a connection alive between the requests
 * of one process by itself.
 */
public final class PinnedConnections {
    static {
        // The JDK sends a request again when its answer did not arrive. Harmless for a GET, a PUT
        // or a DELETE; a POST (a rotation, an approval, a new key, a signed agent request whose
        // nonce the server refuses the second time) must happen once or fail. Streamed bodies are
        // never resent either; this holds for any POST.
        System.setProperty("sun.net.http.retryPost", "false");
    }

    private final PinnedTrust trust;
    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;

    public PinnedConnections(PinnedTrust trust, Duration connectTimeout, Duration readTimeout) {
        this.trust = trust;
        this.connectTimeoutMillis = Math.toIntExact(connectTimeout.toMillis());
        this.readTimeoutMillis = Math.toIntExact(readTimeout.toMillis());
        // Every new HttpsURLConnection starts from the JVM's default socket factory, and building
        // that default reads and parses the whole system CA store and a key manager, only for
        // open() to replace it (~0.05 s of a pinned CLI call). Made this trust's factory, the
        // default is never built. No weaker: it is the factory every request of the process uses,
        // and a pinned one trusts less than the system's.
        HttpsURLConnection.setDefaultSSLSocketFactory(trust.socketFactory());
    }

    public boolean isPinned() {
        return trust.isPinned();
    }

    /** Sets a request's own headers (a token, a signature) on its connection before it is sent. */
    @FunctionalInterface
    public interface Headers {
        Headers NONE = connection -> {};

        void setOn(HttpsURLConnection connection);
    }

    /** One answer: its status, its body (read to its end, at most the bound) and its headers. */
    public static final class Answer {
        private final HttpsURLConnection connection;
        private final int status;
        private final byte[] body;

        private Answer(HttpsURLConnection connection, int status, byte[] body) {
            this.connection = connection;
            this.status = status;
            this.body = body;
        }

        public int status() {
            return status;
        }

        /** The body; for a status of 400 or more, the error body; empty when there is none. */
        public byte[] body() {
            return body;
        }

        /** The status line's reason phrase, or null. */
        public String reason() throws IOException {
            return connection.getResponseMessage();
        }

        public String header(String name) {
            return connection.getHeaderField(name);
        }

        /** A date header in epoch milliseconds, or 0 when it is missing or no date. */
        public long dateHeader(String name) {
            return connection.getHeaderFieldDate(name, 0);
        }
    }

    /**
     * Sends one request and reads its answer: {@code method url} with {@code headers}, and
     * {@code body} (null for none) as {@code contentType}.
     *
     * @throws IOException when the request or its answer fails, also when the answer's body is
     *     longer than {@code maxBytes}. The connection is then dropped, never returned to the
     *     JDK's keep-alive cache: half-read, it would hand the rest of this answer to the process's
     *     next request as that request's own.
     */
    public Answer exchange(URI url, String method, Headers headers, byte[] body, String contentType, int maxBytes)
            throws IOException {
        HttpsURLConnection connection = open(url, method);
        try {
            headers.setOn(connection);
            if (body != null) {
                send(connection, body, contentType);
            }
            int status = connection.getResponseCode();
            return new Answer(connection, status, body(connection, status, maxBytes));
        } catch (IOException | RuntimeException e) {
            connection.disconnect();
            throw e;
        }
    }

    /** A connection for {@code method url}, not yet connected, accepting JSON. */
    private HttpsURLConnection open(URI url, String method) throws IOException {
        HttpsURLConnection connection = (HttpsURLConnection) url.toURL().openConnection();
        connection.setSSLSocketFactory(trust.socketFactory());
        if (trust.isPinned()) {
            // The pinned fingerprint is the server's identity; its name does not matter (see PinnedTrust).
            connection.setHostnameVerifier((hostname, session) -> true);
        }
        connection.setInstanceFollowRedirects(false);
        connection.setUseCaches(false);
        connection.setConnectTimeout(connectTimeoutMillis);
        connection.setReadTimeout(readTimeoutMillis);
        connection.setRequestMethod(method);
        connection.setRequestProperty("Accept", "application/json");
        return connection;
    }

    /** Sends {@code body} as the request's, streamed at its fixed length (never buffered by the JDK, never resent). */
    private static void send(HttpsURLConnection connection, byte[] body, String contentType) throws IOException {
        connection.setDoOutput(true);
        connection.setRequestProperty("Content-Type", contentType);
        connection.setFixedLengthStreamingMode(body.length);
        try (OutputStream out = connection.getOutputStream()) {
            out.write(body);
        }
    }

    /**
     * The answer's body (the error body for a status of 400 or more; empty when there is none),
     * read to its end so the connection can be kept alive.
     *
     * @throws IOException also when the body is longer than {@code maxBytes}
     */
    private static byte[] body(HttpsURLConnection connection, int status, int maxBytes) throws IOException {
        InputStream stream = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
        if (stream == null) {
            return new byte[0];
        }
        byte[] bytes;
        try {
            bytes = stream.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw new IOException("response larger than " + maxBytes + " bytes");
            }
        } catch (IOException e) {
            // Dropped with the stream still open: closing a half-read stream hands its connection
            // back to the keep-alive cache (the JDK skips or drains the rest), and a disconnect
            // after that no longer drops it (PinnedConnectionsTest).
            connection.disconnect();
            throw e;
        }
        stream.close();
        return bytes;
    }
}
