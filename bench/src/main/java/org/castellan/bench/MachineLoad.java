package org.castellan.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** What else the machine is doing: {@code uptime}'s line, and CPU time of a process and its children (from /proc). */
final class MachineLoad {
    private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux

    private MachineLoad() {}

    /** {@code [uptime line, "1m 5m 15m"]}; "unknown" where /proc is not there. */
    static String[] uptime() {
        try {
            Process p = new ProcessBuilder("uptime").redirectErrorStream(true).start();
            String line = new String(p.getInputStream().readAllBytes()).strip();
            p.waitFor();
            return new String[] {line, loadAverage()};
        } catch (IOException | InterruptedException e) {
            return new String[] {"unknown", loadAverage()};
        }
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** User + system CPU milliseconds of {@code pid} and every live descendant (a PostgreSQL postmaster's backends). */
    static long cpuMillis(long pid) {
        Map<Long, List<Long>> children = new HashMap<>();
        Map<Long, Long> ticks = new HashMap<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path dir : (Iterable<Path>) procs::iterator) {
                String name = dir.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String stat = Files.readString(dir.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long self = Long.parseLong(name);
                    children.computeIfAbsent(Long.parseLong(f[1]), k -> new ArrayList<>()).add(self);
                    ticks.put(self, Long.parseLong(f[11]) + Long.parseLong(f[12]));
                } catch (IOException | RuntimeException gone) {
                    // the process ended meanwhile
                }
            }
        } catch (IOException e) {
            return -1;
        }
        long total = 0;
        List<Long> todo = new ArrayList<>(List.of(pid));
        while (!todo.isEmpty()) {
            long p = todo.remove(todo.size() - 1);
            total += ticks.getOrDefault(p, 0L);
            todo.addAll(children.getOrDefault(p, List.of()));
        }
        return total * 1000 / TICKS_PER_SECOND;
    }
}
