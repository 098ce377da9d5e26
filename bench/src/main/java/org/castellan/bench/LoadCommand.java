package org.castellan.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.castellan.protocol.Json;
import org.castellan.server.http.Paging;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fleet-simulator load}: drives a running server (one or several nodes) with a mix of
 * signed agent requests and admin reads, open loop at {@code --rate} or closed loop with
 * {@code --closed --threads N}; then, in the same run and with the same client, the ceiling:
 * {@code GET /healthz} kept alive and with {@code Connection: close}. Prints a table per phase and
 * writes everything (percentiles per operation, errors, ratios, uptime, CPU of watched processes)
 * to {@code --output} as JSON. Exit status 1 when any request failed or a committed password was
 * not the one a reveal returned afterwards (a lost write); never because of a time.
 */
@Command(name = "load", mixinStandardHelpOptions = true, description = "Drive a running server with a fleet's load, next to its /healthz ceiling.")
final class LoadCommand implements Callable<Integer> {
    @Option(names = "--server", required = true, split = ",", description = "The server's URL; several, comma-separated, are used round-robin (nodes on one database).")
    List<String> servers;

    @Option(names = "--fingerprint", required = true, description = "SHA-256 fingerprint of the server's TLS certificate (what serve prints).")
    String fingerprint;

    @Option(names = "--token-file", description = "File holding an admin API token (e.g. DIR/initial-admin-token); needed for reveals, audit queries, lists.")
    Path tokenFile;

    @Option(names = "--fleet", description = "The manifest 'seed' wrote (DIR/fleet-simulator.json): load the seeded devices.")
    Path fleetFile;

    @Option(names = "--register", defaultValue = "0", description = "Without --fleet: register this many new devices over HTTPS first.")
    int register;

    @Option(names = "--rate", description = "Open loop: operations per second on a fixed schedule, e.g. 280 or 280/s.")
    String rate;

    @Option(names = "--closed", description = "Closed loop: --threads threads send back to back (the maximum rate).")
    boolean closed;

    @Option(names = "--threads", defaultValue = "16", description = "Closed loop: threads; open loop: the most requests in flight (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--seconds", defaultValue = "30", description = "Length of the load phase (default ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--warmup", defaultValue = "0", description = "Seconds of the same mix before the measured phase, not reported (default ${DEFAULT-VALUE}).")
    double warmup;

    @Option(names = "--mix", defaultValue = "check-in=80,rotation=15,reveal=5", description = "Operation weights (default ${DEFAULT-VALUE}); operations: "
            + "check-in, rotation, reveal, audit, list-first, list-deep, scoped-first, scoped-deep.")
    String mixText;

    @Option(names = "--connections", defaultValue = "keep-alive", description = "Agent requests on kept-alive connections, or fresh: a new TLS connection per request (default ${DEFAULT-VALUE}).")
    String connections;

    @Option(names = "--deep-after", description = "The deep list pages start after this device index (default 499999 = the admin's 5,000th page of 100, or half the fleet if smaller).")
    Long deepAfter;

    @Option(names = "--ceiling-seconds", description = "Length of each /healthz ceiling phase (default: --seconds, at most 20; 0 = none).")
    Double ceilingSeconds;

    @Option(names = "--ceiling-threads", description = "Threads of the ceiling phases (default: --threads).")
    Integer ceilingThreads;

    @Option(names = "--verify-max", defaultValue = "5000", description = "Lost-write check: reveal at most this many devices that committed (default ${DEFAULT-VALUE}).")
    int verifyMax;

    @Option(names = "--watch", split = ",", description = "NAME=PID: CPU time of that process and its children per phase (e.g. server=1234,postgres=987).")
    List<String> watch = new ArrayList<>();

    @Option(names = "--thread-dumps", description = "PID of a server JVM to sample with jcmd Thread.print during the load (written beside --output).")
    Long threadDumpPid;

    @Option(names = "--output", description = "Write the results as JSON here.")
    Path output;

    @Option(names = "--label", defaultValue = "run", description = "A name for this run in the output.")
    String label;

    private static final AtomicInteger PRINTED_ERRORS = new AtomicInteger();
    private final Map<String, Object> result = new LinkedHashMap<>();
    private final List<Object> phases = new ArrayList<>();
    private final StringBuilder report = new StringBuilder();

    @Override
    public Integer call() throws Exception {
        if (closed == (rate != null)) {
            throw new IllegalArgumentException("give either --rate R (open loop) or --closed (closed loop)");
        }
        if (!connections.equals("keep-alive") && !connections.equals("fresh")) {
            throw new IllegalArgumentException("--connections must be keep-alive or fresh");
        }
        if ((fleetFile == null) == (register == 0)) {
            throw new IllegalArgumentException("give either --fleet FILE (a seeded fleet) or --register N");
        }
        Mix mix = Mix.parse(mixText);
        boolean freshConnections = connections.equals("fresh");
        double perSecond = rate == null ? 0 : Double.parseDouble(rate.replaceFirst("/s$", ""));
        String token = tokenFile == null ? null : Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
        if (token == null && Mix.OPERATIONS.stream().filter(op -> !op.equals(Mix.CHECK_IN) && !op.equals(Mix.ROTATION)).anyMatch(mix::has)) {
            throw new IllegalArgumentException("reveals, audit queries and lists need --token-file");
        }
        BenchClient client = new BenchClient(servers, fingerprint, Math.max(threads, 4) * 2);
        String[] uptimeStart = MachineLoad.uptime();
        result.put("label", label);
        result.put("startedAt", Instant.now().toString());
        result.put("machine", new LinkedHashMap<>(Map.of("cores", Runtime.getRuntime().availableProcessors(),
                "uptimeStart", uptimeStart[0], "loadAverageStart", uptimeStart[1])));
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("servers", servers);
        config.put("loop", closed ? "closed" : "open");
        config.put("rate", perSecond);
        config.put("threads", threads);
        config.put("seconds", seconds);
        config.put("mix", mix.toString());
        config.put("connections", connections);
        config.put("warmupSeconds", warmup);
        result.put("config", config);
        report.append(String.format(Locale.ROOT, "### %s: %s loop%s, %d threads, %s connections, mix %s, %d cores shared with the server%n"
                + "uptime at start: %s%n", label, closed ? "closed" : "open", closed ? "" : " at " + perSecond + "/s", threads,
                connections, mix, Runtime.getRuntime().availableProcessors(), uptimeStart[0]));

        SimulatedFleet fleet = fleet(client, token);
        config.put("devices", fleet.size());
        long deep = deepAfter != null ? deepAfter : Math.min(499_999, fleet.size() / 2);
        String deepCursor = Paging.cursor(FleetLayout.id(deep));
        String scopedToken = mix.has(Mix.SCOPED_FIRST) || mix.has(Mix.SCOPED_DEEP) ? scopedUser(client, token) : null;

        java.util.function.Function<OperationStats, Loops.Step> steps = stats -> due -> {
            String op = mix.pick(ThreadLocalRandom.current().nextDouble());
            switch (op) {
                case Mix.CHECK_IN -> agent(stats, fleet, due, (i, d) -> timed(stats, op, due, () -> d.checkIn(freshConnections)));
                case Mix.ROTATION -> agent(stats, fleet, due, (i, d) -> {
                    String password = "Sim-" + HexFormat.of().formatHex(randomBytes(12));
                    var request = d.seal(password);
                    if (timed(stats, "escrow", due, () -> d.escrow(request, freshConnections))
                            && timed(stats, "commit", System.nanoTime(), () -> d.commit(request.rotationId(), freshConnections))) {
                        fleet.committed(i, password);
                        stats.record("rotation", System.nanoTime() - due);
                    }
                });
                case Mix.REVEAL -> {
                    long target = fleet.revealTarget();
                    if (target >= 0) {
                        timed(stats, op, due, () -> client.reveal(token, fleet.device(target).id()));
                    }
                }
                case Mix.AUDIT -> {
                    long target = ThreadLocalRandom.current().nextLong(fleet.size());
                    timed(stats, op, due, () -> client.auditOfDevice(token, fleet.device(target).id()));
                }
                case Mix.LIST_FIRST -> timed(stats, op, due, () -> client.devicesPage(token, null));
                case Mix.LIST_DEEP -> timed(stats, op, due, () -> client.devicesPage(token, deepCursor));
                case Mix.SCOPED_FIRST -> timed(stats, op, due, () -> client.devicesPage(scopedToken, null));
                case Mix.SCOPED_DEEP -> timed(stats, op, due, () -> client.devicesPage(scopedToken, deepCursor));
                default -> throw new IllegalStateException(op);
            }
        };
        if (warmup > 0) {
            // JIT and connection warm-up on the same mix, not reported.
            Loops.closed(Math.min(threads, 8), warmup, steps.apply(new OperationStats()));
        }
        OperationStats stats = new OperationStats();
        Loops.Step step = steps.apply(stats);

        Map<String, Long> cpu0 = cpu();
        Loops.Ran ran;
        try (ThreadDumpSampler sampler = threadDumpPid == null ? null : new ThreadDumpSampler(threadDumpPid,
                sibling("-threads.txt"), 2_000)) {
            ran = closed ? Loops.closed(threads, seconds, step) : Loops.open(perSecond, threads, seconds, 30, step);
            if (sampler != null) {
                report.append(sampler.summary(12)).append('\n');
            }
        }
        String loadName = closed ? "load (closed loop, " + threads + " threads)" : "load (open loop, " + perSecond + "/s)";
        phase(loadName, stats, ran, cpu0);
        if (ran.notStarted() > 0) {
            report.append("due but never started (counted as errors): ").append(ran.notStarted()).append('\n');
        }

        double ceilingLength = ceilingSeconds != null ? ceilingSeconds : Math.min(seconds, 20);
        int ceilingThreadCount = ceilingThreads != null ? ceilingThreads : threads;
        Map<String, Object> ratios = new LinkedHashMap<>();
        if (ceilingLength > 0) {
            for (boolean close : new boolean[] {false, true}) {
                OperationStats ceiling = new OperationStats();
                String name = close ? "healthz-close" : "healthz-keepalive";
                Map<String, Long> c0 = cpu();
                Loops.Ran r = Loops.closed(ceilingThreadCount, ceilingLength, due -> timed(ceiling, name, due, () -> client.healthz(close)));
                phase("ceiling: GET /healthz over HTTPS " + (close ? "Connection: close" : "keep-alive") + ", " + ceilingThreadCount
                        + " threads", ceiling, r, c0);
                double healthz = ceiling.rate(name, r.seconds());
                if (close == freshConnections) {
                    for (String op : List.of(Mix.CHECK_IN, "escrow", "rotation")) {
                        if (stats.count(op) > 0) {
                            ratios.put(op + "RateOver" + (close ? "HealthzClose" : "HealthzKeepAlive"),
                                    round(stats.rate(op, ran.seconds()) / healthz));
                            ratios.put(op + "P50Over" + (close ? "HealthzClose" : "HealthzKeepAlive") + "P50",
                                    round(stats.percentileMs(op, 50) / Math.max(0.001, ceiling.percentileMs(name, 50))));
                        }
                    }
                }
                ratios.put(name + "RatePerSecond", round(healthz));
            }
        }
        result.put("ratios", ratios);
        report.append("ratios: ").append(ratios).append('\n');

        Map<String, Object> verify = verify(client, token, fleet);
        result.put("verify", verify);
        long errors = stats.errorCount() + ran.notStarted();
        result.put("errors", errors);
        String[] uptimeEnd = MachineLoad.uptime();
        @SuppressWarnings("unchecked")
        Map<String, Object> machine = (Map<String, Object>) result.get("machine");
        machine.put("uptimeEnd", uptimeEnd[0]);
        machine.put("loadAverageEnd", uptimeEnd[1]);
        result.put("phases", phases);
        report.append(String.format(Locale.ROOT, "lost-write check: %s%nerrors: %d%nuptime at end: %s%n", verify, errors, uptimeEnd[0]));
        System.out.print(report);
        if (output != null) {
            Files.write(output, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(result));
            Files.writeString(sibling(".txt"), report, StandardCharsets.UTF_8);
        }
        long lost = (long) verify.get("lost");
        return errors == 0 && lost == 0 ? 0 : 1;
    }

    private SimulatedFleet fleet(BenchClient client, String token) throws Exception {
        if (fleetFile != null) {
            FleetManifest manifest = FleetManifest.read(fleetFile);
            FleetLayout layout = manifest.layout();
            List<Long> real = LongStream.range(0, manifest.devices()).filter(manifest::real).boxed().toList();
            return new SimulatedFleet(manifest.devices(), i -> client.new Device(FleetLayout.id(i), FleetLayout.hostname(i),
                    layout.key(i), manifest.vaultKey()), real);
        }
        String key = client.createRegistrationKey(token, register);
        List<BenchClient.Device> registered = new ArrayList<>();
        OperationStats registration = new OperationStats();
        AtomicInteger nextDevice = new AtomicInteger();
        Loops.Ran r = Loops.closed(Math.min(threads, 8), 600, due -> {
            int i = nextDevice.getAndIncrement();
            if (i >= register) {
                throw new Loops.Done();
            }
            BenchClient.Device d = client.new Device(FleetLayout.hostname(i));
            if (timed(registration, "register", due, () -> d.register(key))) {
                synchronized (registered) {
                    registered.add(d);
                }
            }
        });
        phase("register " + register + " devices", registration, r, Map.of());
        return new SimulatedFleet(registered.size(), i -> registered.get((int) i), List.of());
    }

    /** The host-name group every run's scoped user reaches its devices through. */
    static final String SCOPED_GROUP = "fleet-sim-web";

    /**
     * A non-admin user whose one rule reaches the {@code web-*} devices through a host-name group; its token.
     * The group is made by the first run and reused by the later ones: creating it fills its matches (a
     * tenth of the fleet) in one write, which at a million devices holds the server's writer for over a
     * second and would add a group, and its rows, to the database at every run.
     */
    private static String scopedUser(BenchClient client, String token) throws Exception {
        String suffix = HexFormat.of().formatHex(randomBytes(4));
        String user = (String) client.adminPost(token, "/api/v1/users", Map.of("name", "fleet-sim-" + suffix, "admin", false)).get("id");
        String scoped = (String) client.adminPost(token, "/api/v1/users/" + user + "/tokens", Map.of("name", "fleet-simulator")).get("token");
        String group = client.deviceGroupMatching(token, SCOPED_GROUP, "web-*");
        if (group == null) {
            group = (String) client.adminPost(token, "/api/v1/device-groups", Map.of("name", SCOPED_GROUP,
                    "devices", List.of(), "match", Map.of("hostname", "web-*"))).get("id");
        }
        client.adminPost(token, "/api/v1/rules", Map.of("name", "fleet-sim-" + suffix, "principals", List.of("user:" + user),
                "targets", List.of("device-group:" + group), "permissions", List.of("password.read")));
        return scoped;
    }

    private Map<String, Object> verify(BenchClient client, String token, SimulatedFleet fleet) {
        Map<Long, String> committed = fleet.committedPasswords();
        long checked = 0;
        long lost = 0;
        if (token != null) {
            for (Map.Entry<Long, String> e : committed.entrySet()) {
                if (checked >= verifyMax) {
                    break;
                }
                checked++;
                try {
                    if (!e.getValue().equals(client.revealedPassword(token, fleet.device(e.getKey()).id()))) {
                        lost++;
                        System.err.println("lost write: device " + fleet.device(e.getKey()).id() + " reveals another password than it committed last");
                    }
                } catch (Exception ex) {
                    lost++;
                    System.err.println("lost-write check: reveal of device " + fleet.device(e.getKey()).id() + " failed: " + ex.getMessage());
                }
            }
        }
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("committedInRun", committed.size());
        v.put("checked", checked);
        v.put("lost", lost);
        return v;
    }

    @FunctionalInterface
    private interface AgentCall {
        void run(long index, BenchClient.Device device) throws Exception;
    }

    /** An agent request on an idle device (one request at a time per device, as an agent). */
    private static void agent(OperationStats stats, SimulatedFleet fleet, long due, AgentCall call) throws Exception {
        long i = fleet.acquire();
        if (i < 0) {
            stats.error("no-idle-device");
            return;
        }
        try {
            call.run(i, fleet.device(i));
        } finally {
            fleet.release(i);
        }
    }

    @FunctionalInterface
    interface Call {
        void run() throws Exception;
    }

    /** Runs {@code call}, recording its latency from {@code sinceNanos} (when it was due); false when it failed. */
    static boolean timed(OperationStats stats, String operation, long sinceNanos, Call call) {
        try {
            call.run();
            stats.record(operation, System.nanoTime() - sinceNanos);
            return true;
        } catch (Loops.Done e) {
            throw e;
        } catch (Exception e) {
            stats.error(operation);
            String message = String.valueOf(e.getMessage());
            int n = PRINTED_ERRORS.incrementAndGet();
            if (n == 21) {
                System.err.println("(more failures: counted, not printed)");
            }
            if (n > 20) {
                return false;
            }
            System.err.println(operation + " failed: " + (message.length() > 300 ? message.substring(0, 300) : message));
            return false;
        }
    }

    private void phase(String name, OperationStats stats, Loops.Ran ran, Map<String, Long> cpu0) {
        report.append(stats.table(name, ran.seconds()));
        Map<String, Object> phase = new LinkedHashMap<>();
        phase.put("name", name);
        phase.put("seconds", round(ran.seconds()));
        phase.put("uptime", MachineLoad.uptime()[0]);
        phase.put("operations", stats.summary(ran.seconds()));
        if (ran.notStarted() > 0) {
            phase.put("dueButNotStarted", ran.notStarted());
        }
        if (!cpu0.isEmpty()) {
            Map<String, Long> cpu1 = cpu();
            long requests = stats.summary(ran.seconds()).values().stream().mapToLong(m -> (long) m.get("count")).sum();
            Map<String, Object> cpuOut = new LinkedHashMap<>();
            cpu0.forEach((who, before) -> {
                long used = cpu1.get(who) - before;
                cpuOut.put(who, Map.of("cpuSeconds", round(used / 1000.0), "cpuMsPerRequest", round(requests == 0 ? 0 : (double) used / requests),
                        "coresBusy", round(used / 1000.0 / ran.seconds())));
                report.append(String.format(Locale.ROOT, "cpu %s: %.1f s, %.2f ms per request, %.2f cores busy%n", who, used / 1000.0,
                        requests == 0 ? 0 : (double) used / requests, used / 1000.0 / ran.seconds()));
            });
            phase.put("cpu", cpuOut);
        }
        phases.add(phase);
    }

    private Map<String, Long> cpu() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String w : watch) {
            String[] kv = w.split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("--watch takes NAME=PID");
            }
            out.put(kv[0], MachineLoad.cpuMillis(Long.parseLong(kv[1])));
        }
        return out;
    }

    private Path sibling(String suffix) {
        Path base = output != null ? output : Path.of("fleet-simulator-" + label + ".json");
        String name = base.getFileName().toString().replaceFirst("\\.json$", "");
        return base.resolveSibling(name + suffix);
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
