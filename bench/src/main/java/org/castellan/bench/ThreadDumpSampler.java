package org.castellan.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A poor man's profiler: {@code jcmd PID Thread.print} every interval while a phase runs; tallies,
 * over the server's request threads, each one's state and first Castellan frame (where it waits).
 */
public final class ThreadDumpSampler implements AutoCloseable {
    private final long pid;
    private final Path dumpFile;
    private final Map<String, Integer> tally = new TreeMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private int samples;

    public ThreadDumpSampler(long pid, Path dumpFile, long intervalMillis) {
        this.pid = pid;
        this.dumpFile = dumpFile;
        this.thread = new Thread(() -> loop(intervalMillis), "thread-dump-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop(long intervalMillis) {
        while (running) {
            try {
                Thread.sleep(intervalMillis);
                sample();
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                tally.merge("sampler failed: " + e.getMessage(), 1, Integer::sum);
            }
        }
    }

    private void sample() throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "Thread.print").redirectErrorStream(true).start();
        String dump = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        Files.writeString(dumpFile, dump + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        synchronized (tally) {
            samples++;
            for (String block : dump.split("\n\n")) {
                if (!block.startsWith("\"JettyServerThreadPool") && !block.startsWith("\"castellan-db")) {
                    continue;
                }
                String state = block.lines().filter(l -> l.contains("java.lang.Thread.State:")).findFirst()
                        .map(l -> l.substring(l.indexOf(':') + 1).trim().split(" ")[0]).orElse("?");
                String top = block.lines().filter(l -> l.trim().startsWith("at ")).findFirst().orElse("").trim();
                String ours = block.lines().filter(l -> l.trim().startsWith("at org.castellan")).findFirst()
                        .orElse("(no castellan frame: idle)").trim();
                if (ours.startsWith("(no")) {
                    continue; // an idle pool thread
                }
                tally.merge(state + " | " + shorten(top) + " | " + shorten(ours), 1, Integer::sum);
            }
        }
    }

    private static String shorten(String frame) {
        return frame.replaceFirst("^at ", "").replaceAll("\\(.*\\)", "");
    }

    /** The most frequent (state | top frame | first Castellan frame) lines, busiest first. */
    public String summary(int lines) {
        synchronized (tally) {
            return "thread-dump samples: " + samples + " (busy request/writer threads; state | top frame | first castellan frame)\n"
                    + tally.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(lines)
                    .map(e -> String.format("%5d  %s", e.getValue(), e.getKey())).collect(Collectors.joining("\n"));
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(15_000);
    }
}
