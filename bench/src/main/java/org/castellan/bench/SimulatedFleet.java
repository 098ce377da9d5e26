package org.castellan.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongFunction;

/**
 * The devices the load drives: seeded ones (created lazily from {@link FleetLayout}, so a million
 * devices cost nothing until used) or registered ones. A device serves one request at a time, as
 * an agent does; {@link #acquire} picks an idle one. Remembers the last password each device had
 * acknowledged as committed in this run, for the lost-write check.
 */
final class SimulatedFleet {
    private final long size;
    private final LongFunction<BenchClient.Device> create;
    private final Map<Long, BenchClient.Device> devices = new ConcurrentHashMap<>();
    private final Set<Long> busy = ConcurrentHashMap.newKeySet();
    private final Map<Long, String> committed = new ConcurrentHashMap<>();
    private final List<Long> revealable;

    /** @param revealable device indexes whose current password the server can open from the start */
    SimulatedFleet(long size, LongFunction<BenchClient.Device> create, List<Long> revealable) {
        this.size = size;
        this.create = create;
        this.revealable = List.copyOf(revealable);
    }

    long size() {
        return size;
    }

    BenchClient.Device device(long i) {
        return devices.computeIfAbsent(i, create::apply);
    }

    /** An idle device, marked busy until {@link #release}; -1 when ten random picks found none idle. */
    long acquire() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 10; attempt++) {
            long i = random.nextLong(size);
            if (busy.add(i)) {
                return i;
            }
        }
        return -1;
    }

    void release(long i) {
        busy.remove(i);
    }

    void committed(long i, String password) {
        committed.put(i, password);
    }

    Map<Long, String> committedPasswords() {
        return Map.copyOf(committed);
    }

    /** A device a reveal can open: a seeded real one, or one that committed in this run; -1 when none yet. */
    long revealTarget() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (!revealable.isEmpty() && (committed.isEmpty() || random.nextBoolean())) {
            return revealable.get(random.nextInt(revealable.size()));
        }
        if (committed.isEmpty()) {
            return -1;
        }
        List<Long> some = new ArrayList<>(committed.keySet());
        return some.get(random.nextInt(some.size()));
    }
}
