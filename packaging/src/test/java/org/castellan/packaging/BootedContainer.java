package org.castellan.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A Debian root booted with systemd as its PID 1 ({@code systemd-nspawn -b}), with no network but
 * its own loopback, not registered with any machine manager (this host has no systemd). Commands
 * run inside through {@code nsenter} into every namespace of the container's init. Closing it
 * asks systemd for an orderly poweroff (nspawn turns SIGTERM into that) and waits.
 */
final class BootedContainer implements AutoCloseable {
    static final String HOSTNAME = "castellan-systemd-it";
    private static final String INNER_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final Path root;
    private final Path console;
    private final Process nspawn;
    private final long leader;

    private BootedContainer(Path root, Path console, Process nspawn, long leader) {
        this.root = root;
        this.console = console;
        this.nspawn = nspawn;
        this.leader = leader;
    }

    /** Boots {@code root} with {@code debs} visible read-only at /debs; returns once systemd says "running". */
    static BootedContainer boot(Path root, Path debs, Path console) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("systemd-nspawn", "-D", root.toString(), "-b", "--register=no",
                "--keep-unit", "--private-network", "--hostname=" + HOSTNAME, "--console=read-only",
                "--bind-ro=" + debs + ":/debs")
                .redirectErrorStream(true).redirectOutput(console.toFile());
        builder.environment().clear();
        builder.environment().put("PATH", Command.PATH);
        builder.environment().put("LC_ALL", "C");
        Process nspawn = builder.start();
        nspawn.getOutputStream().close();
        long leader = awaitLeader(nspawn, console);
        BootedContainer container = new BootedContainer(root, console, nspawn, leader);
        try {
            // Until systemd has set up its own socket, systemctl says "offline" at once; --wait then waits for the boot.
            container.await("test -S /run/systemd/private && echo up", "up"::equals, Duration.ofSeconds(60),
                    "systemd's private socket");
            Command.Result running = container.run("systemctl is-system-running --wait", Duration.ofMinutes(2));
            assertThat(running.stdout().strip()).as("boot: %s\n%s\n--- console\n%s", running.describe(),
                    container.run("systemctl --failed --no-legend --plain").stdout(), container.consoleTail())
                    .isEqualTo("running");
        } catch (Throwable t) {
            container.close();
            throw t;
        }
        return container;
    }

    /** The container's init: the descendant of nspawn that is PID 1 in its own PID namespace, once it is systemd. */
    private static long awaitLeader(Process nspawn, Path console) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            if (!nspawn.isAlive()) {
                throw new AssertionError("systemd-nspawn exited with " + nspawn.exitValue() + ":\n" + Files.readString(console));
            }
            Optional<Long> leader = nspawn.descendants().map(ProcessHandle::pid).filter(BootedContainer::isNamespaceInit)
                    .findFirst();
            if (leader.isPresent()) {
                return leader.get();
            }
            Thread.sleep(100);
        }
        nspawn.destroyForcibly();
        throw new AssertionError("no container init within 60 s:\n" + Files.readString(console));
    }

    private static boolean isNamespaceInit(long pid) {
        try {
            List<String> status = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"));
            return status.contains("Name:\tsystemd")
                    && status.stream().anyMatch(line -> line.matches("NSpid:\\s+\\d+\\s+1"));
        } catch (IOException e) {
            return false;
        }
    }

    /** The container's file system as this host sees it (for reading files, not for writing into /run). */
    Path root() {
        return root;
    }

    /** Runs {@code shell} with /bin/sh inside the container, as root, with a clean environment. */
    Command.Result run(String shell) throws Exception {
        return run(shell, Duration.ofSeconds(120));
    }

    Command.Result run(String shell, Duration timeout) throws Exception {
        List<String> command = new ArrayList<>(List.of("nsenter", "-t", Long.toString(leader), "-a",
                "env", "-i", "PATH=" + INNER_PATH, "LC_ALL=C", "HOME=/root", "/bin/sh", "-c", shell));
        return Command.run(command, Map.of(), timeout);
    }

    /** Runs {@code shell} and returns its stripped stdout, failing the test on a non-zero exit. */
    String ok(String shell) throws Exception {
        Command.Result result = run(shell);
        assertThat(result.exitCode()).as(shell + ": " + result.describe()).isZero();
        return result.stdout().strip();
    }

    /** Polls {@code shell}'s stdout until {@code done} accepts it; fails with the last output after {@code timeout}. */
    String await(String shell, Predicate<String> done, Duration timeout, String what) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        Command.Result last;
        do {
            last = run(shell);
            if (done.test(last.stdout().strip())) {
                return last.stdout().strip();
            }
            Thread.sleep(250);
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError(what + " not within " + timeout.toSeconds() + " s; last: " + last.describe());
    }

    String consoleTail() throws IOException {
        return DebianRoot.tail(Files.readString(console));
    }

    @Override
    public void close() throws Exception {
        nspawn.destroy();
        if (!nspawn.waitFor(60, TimeUnit.SECONDS)) {
            nspawn.destroyForcibly();
            nspawn.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
