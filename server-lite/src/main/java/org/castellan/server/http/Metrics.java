package org.castellan.server.http;

import io.javalin.http.Context;
import java.util.concurrent.atomic.LongAdder;

/** A few counters in Prometheus text format for {@code GET /metrics}. */
public final class Metrics {
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
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(out.toString());
    }
}
