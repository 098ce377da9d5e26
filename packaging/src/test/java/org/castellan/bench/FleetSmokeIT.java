package org.castellan.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet simulator's regression guard (issue 11), in the default integration suite: a few
 * seconds at low scale against the real server jar — 12 devices with their own keys, 4 threads of
 * signed check-ins, rotations (escrow + commit) and reveals — failing only on an error or a lost
 * write (never on a time): afterwards every device's reveal returns exactly the password it
 * committed last.
 */
class FleetSmokeIT {
    private static final int DEVICES = 12;
    private static final int THREADS = 4;
    private static final long RUN_MILLIS = 3_000;

    @TempDir
    Path temp;

    @Test
    void aShortMixedLoadHasNoErrorsAndLosesNoCommittedPassword() throws Exception {
        try (BenchServer server = new BenchServer(temp.resolve("data")).start(List.of("-Xmx256m"), temp.resolve("server.log"))) {
            BenchClient client = new BenchClient(server, THREADS * 2);
            String token = server.adminToken();
            String key = client.createRegistrationKey(token, DEVICES);
            List<BenchClient.Device> fleet = new ArrayList<>();
            String[] committed = new String[DEVICES];
            for (int i = 0; i < DEVICES; i++) {
                BenchClient.Device d = client.new Device(String.format("smoke-%02d", i));
                d.register(key);
                fleet.add(d);
            }
            AtomicLong operations = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RUN_MILLIS);
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                workers.add(pool.submit(() -> {
                    // Each thread owns the devices i with i % THREADS == thread: one request at a time per device.
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    while (System.nanoTime() < deadline) {
                        int i = thread + THREADS * random.nextInt(DEVICES / THREADS);
                        BenchClient.Device d = fleet.get(i);
                        double r = random.nextDouble();
                        if (r < 0.6) {
                            d.checkIn();
                        } else if (r < 0.9 || committed[i] == null) {
                            String password = "Smoke-" + Long.toHexString(random.nextLong());
                            var request = d.seal(password);
                            d.escrow(request);
                            d.commit(request.rotationId());
                            committed[i] = password;
                        } else {
                            assertThat(client.revealedPassword(token, d.id())).isEqualTo(committed[i]);
                        }
                        operations.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get(RUN_MILLIS + 120_000, TimeUnit.MILLISECONDS); // an error in any request fails here
            }
            pool.shutdownNow();
            assertThat(operations.get()).as("operations run").isPositive();
            for (int i = 0; i < DEVICES; i++) {
                if (committed[i] != null) {
                    assertThat(client.revealedPassword(token, fleet.get(i).id())).as("device %d", i).isEqualTo(committed[i]);
                }
            }
            System.out.println("fleet smoke: " + operations.get() + " operations, no errors, no lost password");
        }
    }
}
