package org.castellan.protocol.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link PinnedConnections#exchange} against a small HTTP/1.1 server over real TLS on loopback
 * that keeps its connections alive and counts them, so a test sees which request went over which
 * connection.
 */
class PinnedConnectionsTest {
    private SSLServerSocket listener;
    private final AtomicInteger accepted = new AtomicInteger();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private PinnedConnections connections;
    private String origin;

    @BeforeEach
    void start() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair pair = generator.generateKeyPair();
        X500Name name = new X500Name("CN=test");
        long now = System.currentTimeMillis();
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
                BigInteger.ONE, new Date(now - 1000), new Date(now + 86_400_000L), name, pair.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", pair.getPrivate(), new char[0], new X509Certificate[] {cert});
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, new char[0]);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        listener = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptAll, "test-https");
        acceptor.setDaemon(true);
        acceptor.start();
        origin = "https://127.0.0.1:" + listener.getLocalPort();
        connections = new PinnedConnections(PinnedTrust.pinned(Fingerprints.sha256Hex(cert)),
                Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() throws IOException {
        listener.close();
    }

    private void acceptAll() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                accepted.incrementAndGet();
                Thread t = new Thread(() -> serve(socket), "test-https-connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** Answers request after request on one connection: /ok with {"ok":true}, /big with 1,000 bytes. */
    private void serve(Socket socket) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            while (true) {
                String head = readHead(in);
                if (head == null) {
                    return;
                }
                int length = 0;
                for (String line : head.split("\r\n")) {
                    if (line.toLowerCase().startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring(15).strip());
                    }
                }
                String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
                String requestLine = head.substring(0, head.indexOf("\r\n"));
                requests.add(requestLine + (body.isEmpty() ? "" : " " + body));
                byte[] answer = requestLine.contains(" /big ") ? "x".repeat(1000).getBytes(StandardCharsets.UTF_8)
                        : "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + answer.length
                        + "\r\nX-Seen: " + head.lines().filter(l -> l.startsWith("X-Test:")).count()
                        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(answer);
                out.flush();
            }
        } catch (IOException gone) {
            // the client closed the connection
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            head.write(b);
            String s = head.toString(StandardCharsets.US_ASCII);
            if (s.endsWith("\r\n\r\n")) {
                return s;
            }
        }
        return null;
    }

    private PinnedConnections.Answer get(String path, int maxBytes) throws IOException {
        return connections.exchange(URI.create(origin + path), "GET", PinnedConnections.Headers.NONE, null, null, maxBytes);
    }

    @Test
    void aRequestSendsItsHeadersAndBodyAndReadsTheWholeAnswer() throws Exception {
        byte[] body = "{\"n\":1}".getBytes(StandardCharsets.UTF_8);
        PinnedConnections.Answer answer = connections.exchange(URI.create(origin + "/ok"), "POST",
                c -> c.setRequestProperty("X-Test", "yes"), body, "application/json", 1024);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo("{\"ok\":true}");
        assertThat(answer.header("X-Seen")).isEqualTo("1");
        assertThat(requests).containsExactly("POST /ok HTTP/1.1 {\"n\":1}");
    }

    @Test
    void answersReadToTheirEndKeepTheConnectionForTheNextRequest() throws Exception {
        get("/ok", 1024);
        get("/ok", 1024);
        get("/big", 1024);
        get("/ok", 1024);
        assertThat(requests).hasSize(4);
        assertThat(accepted.get()).as("one kept-alive connection").isEqualTo(1);
    }

    @Test
    void anAnswerOverTheBoundFailsAndItsConnectionIsNeverReused() throws Exception {
        get("/ok", 1024);
        assertThatThrownBy(() -> get("/big", 100)).isInstanceOf(IOException.class)
                .hasMessageContaining("larger than 100 bytes");
        // Left in the keep-alive cache, the connection would still hold 899 unread bytes of /big.
        PinnedConnections.Answer next = get("/ok", 1024);
        assertThat(new String(next.body(), StandardCharsets.UTF_8)).isEqualTo("{\"ok\":true}");
        assertThat(accepted.get()).as("the failed answer's connection was dropped").isEqualTo(2);
    }

    @Test
    void aConnectionThatCannotBeMadeFailsWithAnIoException() throws Exception {
        // Bound but never listening, held for the call: refused, and no other test's server can take
        // the port meanwhile (as one could take a listener's port once it was closed).
        try (Socket bound = new Socket()) {
            bound.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = bound.getLocalPort();
            assertThatThrownBy(() -> connections.exchange(URI.create("https://127.0.0.1:" + port + "/ok"), "GET",
                    PinnedConnections.Headers.NONE, null, null, 1024)).isInstanceOf(IOException.class);
        }
    }
}
