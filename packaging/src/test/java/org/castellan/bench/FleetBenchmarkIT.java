package org.castellan.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What one server does: the real server jar on loopback, N simulated devices (each its own
 * Ed25519 key) registered through a registration key, then a closed-loop mixed load from a thread
 * pool — check-ins (most traffic), rotations (escrow + commit) and admin reveals — with latency
 * percentiles per operation. Skipped unless {@code -Dcastellan.bench=true}. Knobs (system
 * properties): {@code castellan.bench.devices} (500), {@code .threads} (16), {@code .seconds} (20 per phase,
 * at most 60), {@code .maxRequests} (200000), {@code .jfr} (true: a JFR recording next to the results),
 * {@code .label} (a name for the results file), {@code .compareWith} (another build's
 * {@code packaging/target}: that server and this one are measured in turn, {@code .rounds} (2) times,
 * so that both meet the same machine load). After the mixed load and the check-ins, the ceiling:
 * {@code GET /healthz} over the same client, connections and threads, and every rate as a ratio to it. The load generator runs on the same machine as the server.
 */
class FleetBenchmarkIT {
    private static final int MAX_PHASE_SECONDS = 60;

    @TempDir
    Path temp;

    @Test
    void measuresThroughputAndLatencyOfOneServerUnderAMixedFleetLoad() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("castellan.bench"), "fleet benchmark runs only with -Dcastellan.bench=true");
        int devices = Integer.getInteger("castellan.bench.devices", 500);
        int threads = Integer.getInteger("castellan.bench.threads", 16);
        int seconds = Math.min(MAX_PHASE_SECONDS, Integer.getInteger("castellan.bench.seconds", 20));
        int maxRequests = Integer.getInteger("castellan.bench.maxRequests", 200_000);
        String label = System.getProperty("castellan.bench.label", "run");
        String jars = System.getProperty("castellan.jars", "target");
        Path results = Path.of(jars).resolve("bench");
        Files.createDirectories(results);
        // A/B on the same machine in the same run: -Dcastellan.bench.compareWith=DIR (another build's
        // packaging/target) runs that server and this one in turn, castellan.bench.rounds times.
        String other = System.getProperty("castellan.bench.compareWith");
        if (other == null) {
            measure(label, devices, threads, seconds, maxRequests, results);
            return;
        }
        int rounds = Integer.getInteger("castellan.bench.rounds", 2);
        try {
            for (int round = 1; round <= rounds; round++) {
                System.setProperty("castellan.jars", other);
                measure("before-" + round, devices, threads, seconds, maxRequests, results);
                System.setProperty("castellan.jars", jars);
                measure("after-" + round, devices, threads, seconds, maxRequests, results);
            }
        } finally {
            System.setProperty("castellan.jars", jars);
        }
    }

    private void measure(String label, int devices, int threads, int seconds, int maxRequests, Path results)
            throws Exception {
        List<String> jvm = new ArrayList<>(List.of("-Xmx512m"));
        if (Boolean.parseBoolean(System.getProperty("castellan.bench.jfr", "true"))) {
            jvm.add("-XX:StartFlightRecording=settings=profile,filename=" + results.resolve(label + ".jfr"));
        }
        Path dataDir = temp.resolve(label).resolve("data");
        Files.createDirectories(dataDir.getParent(), java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        Path serverLog = results.resolve(label + "-server.log");
        Files.deleteIfExists(serverLog);
        StringBuilder report;
        OperationStats registration;
        OperationStats mixed;
        OperationStats checkIns;
        OperationStats ceiling;
        try (BenchServer server = new BenchServer(dataDir).withDefaultJit().start(jvm, serverLog)) {
            BenchClient client = new BenchClient(server.url(), server.fingerprint(), threads * 2);
            String token = server.adminToken();
            String registrationKey = client.createRegistrationKey(token, devices);
            report = new StringBuilder(String.format("%n### %s: %d devices, %d client threads, %d cores "
                    + "shared by load generator and server (loopback)%nload average at start: %s%n", label, devices,
                    threads, Runtime.getRuntime().availableProcessors(), loadAverage()));

            List<BenchClient.Device> fleet = new ArrayList<>();
            for (int i = 0; i < devices; i++) {
                fleet.add(client.new Device(String.format("bench-%06d", i)));
            }
            registration = new OperationStats();
            AtomicInteger nextDevice = new AtomicInteger();
            double registerSeconds = runPhase(threads, MAX_PHASE_SECONDS, devices, () -> {
                int i = nextDevice.getAndIncrement();
                if (i >= devices) {
                    return false;
                }
                timed(registration, "register", () -> fleet.get(i).register(registrationKey));
                return true;
            });
            report.append(registration.table("register " + devices + " devices", registerSeconds));
            List<BenchClient.Device> registered = fleet.stream().filter(d -> d.id() != null).toList();
            assertThat(registered).as("registered devices").hasSize(devices);
            // Every device escrows one password first so that reveals have something to return.
            List<ReentrantLock> locks = registered.stream().map(d -> new ReentrantLock()).toList();
            for (BenchClient.Device d : registered.subList(0, Math.min(50, registered.size()))) {
                rotate(new OperationStats(), d);
            }

            mixed = new OperationStats();
            double mixedSeconds = 0;
            try (ThreadDumpSampler sampler = new ThreadDumpSampler(server.pid(), results.resolve(label + "-threads.txt"), 2_000)) {
                mixedSeconds = runPhase(threads, seconds, maxRequests, () -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    int i = random.nextInt(registered.size());
                    if (!locks.get(i).tryLock()) {
                        return true; // another thread is using this device; a device runs one request at a time
                    }
                    try {
                        BenchClient.Device d = registered.get(i);
                        double r = random.nextDouble();
                        if (r < 0.80) {
                            timed(mixed, "check-in", d::checkIn);
                        } else if (r < 0.95) {
                            rotate(mixed, d);
                        } else {
                            BenchClient.Device target = registered.get(random.nextInt(Math.min(50, registered.size())));
                            timed(mixed, "reveal", () -> client.reveal(token, target.id()));
                        }
                    } finally {
                        locks.get(i).unlock();
                    }
                    return true;
                });
                report.append(mixed.table("mixed load: 80% check-in, 15% rotation (escrow + commit), 5% reveal", mixedSeconds));
                report.append(sampler.summary(12)).append('\n');
            }

            // Check-ins alone: the most common request, a small write each, little client-side crypto.
            checkIns = new OperationStats();
            double checkInSeconds = runPhase(threads, seconds, maxRequests, () -> {
                int i = ThreadLocalRandom.current().nextInt(registered.size());
                if (locks.get(i).tryLock()) {
                    try {
                        timed(checkIns, "check-in", registered.get(i)::checkIn);
                    } finally {
                        locks.get(i).unlock();
                    }
                }
                return true;
            });
            report.append(checkIns.table("check-ins only", checkInSeconds));

            // The ceiling of this machine in this run: the no-op /healthz over the same client,
            // connections and threads, so that every figure above is also a ratio.
            OperationStats healthzStats = new OperationStats();
            ceiling = healthzStats;
            double ceilingSeconds = runPhase(threads, seconds, maxRequests, () -> {
                timed(healthzStats, "healthz", client::healthz);
                return true;
            });
            report.append(ceiling.table("ceiling: GET /healthz over HTTPS keep-alive", ceilingSeconds));
            double healthz = ceiling.rate("healthz", ceilingSeconds);
            report.append(String.format(java.util.Locale.ROOT,
                    "ratio to the /healthz keep-alive ceiling: check-ins only %.1f %%, mixed-load check-ins %.1f %%, "
                            + "escrows %.1f %%%n", 100 * checkIns.rate("check-in", checkInSeconds) / healthz,
                    100 * mixed.rate("check-in", mixedSeconds) / healthz, 100 * mixed.rate("escrow", mixedSeconds) / healthz));
            report.append("load average at end: ").append(loadAverage()).append('\n');
        }
        // After the graceful stop: the server logs how many writes shared each commit.
        Files.readAllLines(serverLog).stream().filter(l -> l.contains("Database writer stopped"))
                .forEach(l -> report.append("server: ").append(l.replaceFirst("^.*Database writer", "database writer")).append('\n'));
        System.out.println(report);
        Files.writeString(results.resolve("results.txt"), report, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        assertThat(registration.errorCount() + mixed.errorCount() + checkIns.errorCount() + ceiling.errorCount())
                .as("failed requests (see the tables)").isZero();
    }

    /** The 1, 5 and 15-minute load averages (other builds share this machine). */
    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private static void rotate(OperationStats stats, BenchClient.Device d) throws Exception {
        var request = d.seal("Bench-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        timed(stats, "escrow", () -> d.escrow(request));
        timed(stats, "commit", () -> d.commit(request.rotationId()));
    }

    @FunctionalInterface
    private interface Call {
        void run() throws Exception;
    }

    @FunctionalInterface
    private interface Step {
        /** One unit of load; false when there is nothing left to do. */
        boolean run() throws Exception;
    }

    private static void timed(OperationStats stats, String operation, Call call) throws Exception {
        long start = System.nanoTime();
        try {
            call.run();
            stats.record(operation, System.nanoTime() - start);
        } catch (Exception e) {
            stats.error(operation);
            System.err.println(operation + " failed: " + e.getMessage());
        }
    }

    /** Runs {@code step} from {@code threads} threads until done, {@code seconds} or {@code maxSteps}; returns elapsed seconds. */
    private static double runPhase(int threads, int seconds, int maxSteps, Step step) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(seconds);
        AtomicLong steps = new AtomicLong();
        List<java.util.concurrent.Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(pool.submit(() -> {
                while (System.nanoTime() < deadline && steps.incrementAndGet() <= maxSteps) {
                    if (!step.run()) {
                        return null;
                    }
                }
                return null;
            }));
        }
        for (var worker : workers) {
            worker.get(seconds + 60L, TimeUnit.SECONDS);
        }
        pool.shutdownNow();
        return (System.nanoTime() - start) / 1e9;
    }
}
