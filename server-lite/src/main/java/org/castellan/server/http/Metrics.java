package org.castellan.server.http;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * A few counters in Prometheus text format for {@code GET /metrics}, plus what registered
 * {@link Source}s write. With a token configured the endpoint requires {@code Authorization: Bearer
 * TOKEN} (compared in constant time); without one it is open, as Prometheus scrapes usually are.
 */
public final class Metrics {
    /** A part of the metrics text that another component owns (e.g. the audit chain check). */
    public interface Source {
        void write(StringBuilder out);
    }

    private final List<Source> sources = new CopyOnWriteArrayList<>();
    private volatile byte[] token;

    public void add(Source source) {
        sources.add(source);
    }

    /** Requires this bearer token from now on; null leaves /metrics open. */
    public void requireToken(String value) {
        token = value == null ? null : value.getBytes(StandardCharsets.UTF_8);
    }

    private final LongAdder[] byStatusClass = {new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder()};
    private final LongAdder escrows = new LongAdder();
    private final LongAdder revealsGranted = new LongAdder();
    private final LongAdder revealsDenied = new LongAdder();

    public void request(int status) {
        int cls = status / 100;
        if (cls >= 1 && cls <= 5) {
            byStatusClass[cls - 1].increment();
        }
    }

    public void escrowed() {
        escrows.increment();
    }

    public void reveal(boolean granted) {
        (granted ? revealsGranted : revealsDenied).increment();
    }

    public void serve(Context ctx) {
        byte[] required = token;
        if (required != null) {
            String header = ctx.header("Authorization");
            byte[] given = header != null && header.startsWith("Bearer ")
                    ? header.substring(7).strip().getBytes(StandardCharsets.UTF_8) : new byte[0];
            if (!MessageDigest.isEqual(required, given)) {
                throw ApiException.unauthorized("unauthorized", "/metrics requires its bearer token (metricsTokenFile)");
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("# HELP castellan_http_requests_total HTTP requests answered, by status class.\n");
        out.append("# TYPE castellan_http_requests_total counter\n");
        for (int i = 0; i < byStatusClass.length; i++) {
            out.append("castellan_http_requests_total{class=\"").append(i + 1).append("xx\"} ")
                    .append(byStatusClass[i].sum()).append('\n');
        }
        out.append("# HELP castellan_escrows_total Passwords escrowed by agents.\n");
        out.append("# TYPE castellan_escrows_total counter\n");
        out.append("castellan_escrows_total ").append(escrows.sum()).append('\n');
        out.append("# HELP castellan_reveals_total Password reveal attempts, by outcome.\n");
        out.append("# TYPE castellan_reveals_total counter\n");
        out.append("castellan_reveals_total{outcome=\"granted\"} ").append(revealsGranted.sum()).append('\n');
        out.append("castellan_reveals_total{outcome=\"denied\"} ").append(revealsDenied.sum()).append('\n');
        for (Source source : sources) {
            source.write(out);
        }
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(out.toString());
    }
}
