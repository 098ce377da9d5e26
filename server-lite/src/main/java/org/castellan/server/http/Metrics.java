package org.castellan.server.http;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /metrics}: a Micrometer Prometheus registry (text exposition format). Besides the JVM
 * binders it holds the request timers, one per route template (never per raw path: the
 * cardinality is bounded by the route table), and the counters the server had before
 * ({@code castellan_http_requests_total{class}}, {@code castellan_escrows_total},
 * {@code castellan_reveals_total{outcome}}). Other components register their meters on
 * {@link #registry()}. With a token configured the endpoint requires {@code Authorization: Bearer
 * TOKEN} (compared in constant time); without one it is open, as Prometheus scrapes usually are.
 */
public final class Metrics {
    private static final String STARTED = "castellan.metrics.started";
    private static final String UNMATCHED = "unmatched";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter[] byStatusClass = new Counter[5];
    private final Counter escrows;
    private final Counter revealsGranted;
    private final Counter revealsDenied;
    private final ConcurrentHashMap<String, Counter> rotations = new ConcurrentHashMap<>();
    private volatile byte[] token;

    public Metrics() {
        // Two of Micrometer's JVM meters fail promtool's lint: a counter in nanoseconds (the usage gauge
        // stays) and a gauge ending in _count (renamed system_cpu_cores).
        registry.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")));
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return id.getName().equals("system.cpu.count") ? id.withName("system.cpu.cores") : id;
            }
        });
        for (int i = 0; i < byStatusClass.length; i++) {
            byStatusClass[i] = Counter.builder("castellan.http.requests").description("HTTP requests answered, by status class.")
                    .tag("class", (i + 1) + "xx").register(registry);
        }
        escrows = Counter.builder("castellan.escrows").description("Passwords escrowed by agents.").register(registry);
        revealsGranted = reveals("granted");
        revealsDenied = reveals("denied");
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    private Counter reveals(String outcome) {
        return Counter.builder("castellan.reveals").description("Password reveal attempts, by outcome.")
                .tag("outcome", outcome).register(registry);
    }

    /** Where other components register their meters (database, audit chain, webhooks, device ages). */
    public MeterRegistry registry() {
        return registry;
    }

    /** Requires this bearer token from now on; null leaves /metrics open. */
    public void requireToken(String value) {
        token = value == null ? null : value.getBytes(StandardCharsets.UTF_8);
    }

    /** A before-handler: marks when the request started. */
    public void started(Context ctx) {
        ctx.attribute(STARTED, System.nanoTime());
    }

    /** An after-handler: counts the answer by status class and times it under its route template. */
    public void answered(Context ctx) {
        int status = ctx.statusCode();
        int cls = status / 100;
        if (cls >= 1 && cls <= 5) {
            byStatusClass[cls - 1].increment();
        }
        Long started = ctx.attribute(STARTED);
        if (started == null) {
            return;
        }
        Timer.builder("castellan.http.server.requests")
                .description("HTTP requests by route template (the path as declared, e.g. /api/v1/devices/{id}), method and status.")
                .tag("route", route(ctx)).tag("method", method(ctx)).tag("status", Integer.toString(status))
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30)).register(registry)
                .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }

    /** The declared path of the endpoint that handled the request; "unmatched" for a 404 (never the raw path). */
    private static String route(Context ctx) {
        Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
        return matched == null || matched.path == null || matched.path.isEmpty() ? UNMATCHED : matched.path;
    }

    private static String method(Context ctx) {
        HandlerType method = ctx.method();
        return HandlerType.commonHttp().contains(method) ? method.name() : "other";
    }

    public void escrowed() {
        escrows.increment();
    }

    /** A rotation step by outcome: {@code escrowed}, {@code committed}, {@code aborted}. */
    public void rotation(String outcome) {
        rotations.computeIfAbsent(outcome, o -> Counter.builder("castellan.rotations")
                .description("Password rotations by outcome: escrowed (pending), committed, aborted.")
                .tag("outcome", o).register(registry)).increment();
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
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(registry.scrape());
    }
}
