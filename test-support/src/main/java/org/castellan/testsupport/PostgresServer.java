package org.castellan.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real, throwaway PostgreSQL server for tests: Debian's binaries ({@code apt-get install postgresql}),
 * a cluster made by {@code initdb} in a temporary directory, listening on 127.0.0.1 on a free port.
 * Nothing of the machine's own PostgreSQL (clusters under /etc/postgresql, its service) is touched.
 *
 * <p>PostgreSQL refuses to run as root, and CI runs as root: then every PostgreSQL command runs as
 * the {@code postgres} system user that Debian's package creates ({@code runuser -u postgres}).
 * One server per test JVM ({@link #shared()}), stopped by a shutdown hook; each test class takes its own
 * database ({@link #newDatabase(String)}), which is cheap.
 */
public final class PostgresServer implements AutoCloseable {
    public static final String USER = "castellan";
    private static final String OS_USER = "postgres";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static PostgresServer shared;

    private final Path binDir;
    private final Path workDir;
    private final Path dataDir;
    private final int port;
    private final String password;
    private final Process postgres;

    private PostgresServer(Path binDir, Path workDir, Path dataDir, int port, String password, Process postgres) {
        this.binDir = binDir;
        this.workDir = workDir;
        this.dataDir = dataDir;
        this.port = port;
        this.password = password;
        this.postgres = postgres;
    }

    /** The server of this JVM, started on first use; skips (fails under CI) when PostgreSQL is not installed. */
    public static synchronized PostgresServer shared() {
        if (shared == null) {
            Path bin = binDir();
            Prerequisite.require(bin != null, "PostgreSQL's server binaries (/usr/lib/postgresql/*/bin/initdb)",
                    "apt-get install -y postgresql");
            if (Prerequisite.isRoot()) {
                Prerequisite.require(userExists(OS_USER), "the postgres system user (PostgreSQL refuses to run as root)",
                        "apt-get install -y postgresql");
            }
            try {
                shared = start(bin);
            } catch (IOException e) {
                throw new IllegalStateException("cannot start a test PostgreSQL server: " + e.getMessage(), e);
            }
            PostgresServer server = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "stop-test-postgres"));
        }
        return shared;
    }

    /** Whether this machine has PostgreSQL's server binaries (for tests that choose a backend). */
    public static boolean installed() {
        return binDir() != null;
    }

    public int port() {
        return port;
    }

    /** The password of {@link #USER}, the cluster's superuser. */
    public String password() {
        return password;
    }

    /** A fresh, empty database owned by {@link #USER}; its name starts with {@code prefix}. */
    public Database newDatabase(String prefix) {
        String name = newName(prefix);
        sql("postgres", "CREATE DATABASE " + name + " OWNER " + USER);
        return new Database(this, name);
    }

    /**
     * A fresh database that starts as a copy of {@code template} (which nobody may be connected to):
     * how a test suite gets an already migrated schema without running every migration again.
     */
    public Database newDatabase(String prefix, Database template) {
        String name = newName(prefix);
        sql("postgres", "CREATE DATABASE " + name + " TEMPLATE " + template.name() + " OWNER " + USER);
        return new Database(this, name);
    }

    private static String newName(String prefix) {
        return (prefix.replaceAll("[^a-z0-9_]", "_") + "_" + DATABASES.incrementAndGet() + "_"
                + ProcessHandle.current().pid()).toLowerCase(java.util.Locale.ROOT);
    }

    /** Runs SQL through {@code psql} (the password in the environment, never in argv); returns its output. */
    public String sql(String database, String sql) {
        try {
            Result r = run(List.of(binDir.resolve("psql").toString(), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                    "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", USER, "-d", database, "-c", sql),
                    Map.of("PGPASSWORD", password), false);
            if (r.exit != 0) {
                throw new IllegalStateException("psql failed (" + r.exit + "): " + r.output);
            }
            return r.output.strip();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run psql", e);
        }
    }

    /** One database of the test server. */
    public record Database(PostgresServer server, String name) {
        /** The form {@code castellan-server serve --database} takes (the password goes elsewhere). */
        public String url() {
            return "postgresql://127.0.0.1:" + server.port + "/" + name + "?user=" + USER;
        }

        public String jdbcUrl() {
            return "jdbc:postgresql://127.0.0.1:" + server.port + "/" + name;
        }

        public String user() {
            return USER;
        }

        public String password() {
            return server.password;
        }

        public String sql(String sql) {
            return server.sql(name, sql);
        }

        /** Drops the database (and any connection still open to it). */
        public void drop() {
            server.sql("postgres", "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    private static PostgresServer start(Path bin) throws IOException {
        boolean asRoot = Prerequisite.isRoot();
        Path work = Files.createTempDirectory("castellan-test-pg");
        Path data = work.resolve("data");
        Path socket = work.resolve("socket");
        Files.createDirectories(socket);
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        String password = HexFormat.of().formatHex(random);
        Path pwFile = work.resolve("pwfile");
        Files.writeString(pwFile, password + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(pwFile, PosixFilePermissions.fromString("rw-------"));
        if (asRoot) {
            mustRun(List.of("chown", "-R", OS_USER + ":", work.toString()), false);
        }
        mustRun(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "--pwfile=" + pwFile,
                "-A", "scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync"), asRoot);
        Files.deleteIfExists(pwFile);

        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = freePort();
            List<String> command = new ArrayList<>(List.of(bin.resolve("postgres").toString(), "-D", data.toString(),
                    "-p", Integer.toString(port), "-k", socket.toString(), "-c", "listen_addresses=127.0.0.1",
                    // Test clusters only: no fsync and no waiting for the WAL flush at commit (an OS crash is
                    // not what these tests simulate; the product's durability is tested on SQLite and rests on
                    // an operator's own PostgreSQL settings, and a cluster setting changes nothing the server
                    // asks for), more connections than the default 100 for several server nodes with their pools.
                    "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                    "-c", "max_connections=300", "-c", "shared_buffers=64MB"));
            ProcessBuilder pb = new ProcessBuilder(asRoot ? asPostgres(command) : command)
                    .redirectErrorStream(true).redirectOutput(work.resolve("postgres.log").toFile());
            Process process = pb.start();
            if (awaitReady(bin, port, process)) {
                return new PostgresServer(bin, work, data, port, password, process);
            }
            process.destroyForcibly();
            last = new IOException("PostgreSQL did not become ready on port " + port + ": "
                    + tail(work.resolve("postgres.log")));
        }
        throw last;
    }

    private static boolean awaitReady(Path bin, int port, Process process) throws IOException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                return false;
            }
            Result r = run(List.of(bin.resolve("pg_isready").toString(), "-q", "-h", "127.0.0.1", "-p",
                    Integer.toString(port)), Map.of(), false);
            if (r.exit == 0) {
                return true;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    @Override
    public synchronized void close() {
        if (!postgres.isAlive()) {
            return;
        }
        try {
            // SIGINT to the postmaster (not to runuser, which may not forward it): PostgreSQL's "fast"
            // shutdown, which disconnects clients without a long wait.
            String postmaster = Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).strip();
            run(List.of("kill", "-INT", postmaster), Map.of(), false);
            if (!postgres.waitFor(30, TimeUnit.SECONDS)) {
                postgres.destroyForcibly();
            }
        } catch (IOException | InterruptedException e) {
            postgres.destroyForcibly();
        }
        deleteTree(workDir);
    }

    private static List<String> asPostgres(List<String> command) {
        List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", OS_USER, "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    private static Path binDir() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return null;
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("postgres")))
                    .max(Comparator.comparingInt(b -> version(b.getParent().getFileName().toString())))
                    .orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static int version(String name) {
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static boolean userExists(String user) {
        try {
            return run(List.of("id", "-u", user), Map.of(), false).exit == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private record Result(int exit, String output) {}

    private static void mustRun(List<String> command, boolean asPostgres) throws IOException {
        Result r = run(command, Map.of(), asPostgres);
        if (r.exit != 0) {
            throw new IOException(String.join(" ", command.subList(0, 1)) + " failed (" + r.exit + "): " + r.output);
        }
    }

    private static Result run(List<String> command, Map<String, String> env, boolean asPostgres) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(asPostgres ? asPostgres(command) : command).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.directory(Path.of("/").toFile()); // postgres may not be able to enter the caller's directory
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, out + " (timed out)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return new Result(-1, out + " (interrupted)");
        }
        return new Result(p.exitValue(), out);
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}
