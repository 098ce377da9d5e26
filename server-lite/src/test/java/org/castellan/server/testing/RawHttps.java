package org.castellan.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLSocket;
import org.castellan.protocol.tls.PinnedTrust;

/**
 * Sends exactly the bytes given over a fresh TLS connection (no HTTP client in between to
 * normalise a bad request line, header or encoding) and reads what comes back until the server
 * closes or the announced body is complete.
 */
public final class RawHttps {
    private final String host;
    private final int port;
    private final PinnedTrust trust;
    private final AtomicLong connectionsMadeAgain = new AtomicLong();

    public RawHttps(String host, int port, String fingerprint) {
        this.host = host;
        this.port = port;
        this.trust = PinnedTrust.pinned(fingerprint);
    }

    public static RawHttps to(TestServer server) {
        return new RawHttps("127.0.0.1", server.server.port(), server.server.fingerprint());
    }

    /** A parsed answer; {@code status} -1 when the server closed without an HTTP response. */
    public record Answer(int status, String statusLine, Map<String, String> headers, byte[] body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public boolean closedWithoutAnswer() {
            return status == -1;
        }

        @Override
        public String toString() {
            return statusLine + " " + headers + " " + bodyText();
        }
    }

    /**
     * Connections made again: their TLS handshake failed before a byte of the request was sent, or
     * (through {@link #sendForAnswer}) they were closed without a byte of an answer.
     */
    public long connectionsMadeAgain() {
        return connectionsMadeAgain.get();
    }

    /**
     * A connection with its handshake done. One whose handshake fails is made once more: no byte of
     * the request has been sent on it, so what the request meets is unchanged. Such retries are
     * counted ({@link #connectionsMadeAgain}) for the caller to bound; a second failure is thrown.
     */
    private SSLSocket handshaken() throws IOException {
        IOException first = null;
        while (true) {
            SSLSocket socket = (SSLSocket) trust.socketFactory().createSocket(host, port);
            try {
                socket.setSoTimeout(10_000);
                // Without it the request waits for the ACK of the handshake's last flight (Nagle against
                // delayed ACK): 40 ms a request.
                socket.setTcpNoDelay(true);
                socket.startHandshake();
                return socket;
            } catch (IOException e) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // already broken
                }
                if (first != null) {
                    first.addSuppressed(e);
                    throw first;
                }
                first = e;
                connectionsMadeAgain.incrementAndGet();
            }
        }
    }

    public Answer send(byte[] request) throws IOException {
        SSLSocket socket = handshaken();
        try {
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException e) {
                // The server may close while we still write an oversized request; read what it said.
            }
            return read(socket.getInputStream());
        } finally {
            try {
                socket.close();
            } catch (IOException e) {
                // the server closed first: nothing left to say
            }
        }
    }

    public Answer send(String request) throws IOException {
        return send(request.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * As {@link #send}, for a request the server must answer: one that met a connection closed
     * without a byte is sent once more on a new one, counted in {@link #connectionsMadeAgain}. On this
     * machine about one fresh connection in a thousand is closed by the server right after its TLS
     * handshake, in the PostgreSQL pass only, from 2026-12-08 on (cause not found; see
     * HostileRequestTest). A request the server never answers still fails: twice.
     */
    public Answer sendForAnswer(String request) throws IOException {
        Answer answer = send(request);
        if (answer.closedWithoutAnswer() && answer.statusLine().isEmpty()) {
            connectionsMadeAgain.incrementAndGet();
            return send(request);
        }
        return answer;
    }

    private static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        try {
            int b;
            while ((b = in.read()) != -1) {
                head.write(b);
                byte[] h = head.toByteArray();
                int n = h.length;
                if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                    break;
                }
            }
        } catch (SocketTimeoutException | javax.net.ssl.SSLException | java.net.SocketException e) {
            // closed or reset: what was read so far is the answer
        }
        String headText = head.toString(StandardCharsets.ISO_8859_1);
        if (!headText.startsWith("HTTP/")) {
            return new Answer(-1, headText, Map.of(), new byte[0]);
        }
        String[] lines = headText.split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.merge(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim(), (a, b) -> a + ", " + b);
            }
        }
        String[] statusParts = lines[0].split(" ", 3);
        int status = Integer.parseInt(statusParts[1]);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            String length = headers.get("content-length");
            if (length != null) {
                byte[] bytes = in.readNBytes(Integer.parseInt(length));
                body.write(bytes);
            } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                readChunked(in, body);
            } else {
                in.transferTo(body);
            }
        } catch (SocketTimeoutException | javax.net.ssl.SSLException | java.net.SocketException e) {
            // body cut short: keep what came
        }
        return new Answer(status, lines[0], headers, body.toByteArray());
    }

    private static void readChunked(InputStream in, ByteArrayOutputStream body) throws IOException {
        while (true) {
            String sizeLine = readLine(in);
            if (sizeLine == null) {
                return;
            }
            int semicolon = sizeLine.indexOf(';');
            int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            if (size == 0) {
                readLine(in);
                return;
            }
            body.write(in.readNBytes(size));
            readLine(in);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                String s = line.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }
}
