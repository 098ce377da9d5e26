package org.castellan.agent.cli;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.castellan.agent.AgentException;
import org.castellan.agent.state.StateDir;

/**
 * The command line a service definition runs: {@code run --state-dir DIR} of this same agent.
 * Absolute paths throughout, since services start in an unrelated working directory. Off Windows
 * it never names a JRE directory (which the next Java update removes): it runs the package's
 * launcher when the agent jar sits in the package layout ({@code PREFIX/share/castellan/} with
 * {@code PREFIX/bin/castellan-agent}), and otherwise the {@code java} that the service manager
 * itself would find ({@code /usr/bin/java}, the alternatives link, on Debian).
 */
final class ServiceCommandLine {
    /** The search path systemd (and, a subset, launchd) gives services: where their java must be. */
    static final List<Path> SERVICE_SEARCH_PATH = Stream.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin",
            "/usr/bin", "/sbin", "/bin").map(Path::of).toList();
    static final String LAUNCHER = "castellan-agent";

    private ServiceCommandLine() {}

    static List<String> forRun(StateDir dir) throws AgentException {
        boolean windows = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("win");
        if (windows) {
            return runCommand(javaExecutable(), classPath(), dir.path());
        }
        return forRun(dir.path(), classPath(), SERVICE_SEARCH_PATH);
    }

    /** Off Windows: the launcher next to a packaged jar, else the service manager's java with the class path. */
    static List<String> forRun(Path stateDir, String classPath, List<Path> searchPath) throws AgentException {
        Path java = serviceJava(searchPath);
        JavaVersion.require(java);
        Optional<Path> launcher = packagedLauncher(classPath);
        if (launcher.isPresent()) {
            return List.of(launcher.get().toString(), "run", "--state-dir", stateDir.toString());
        }
        return runCommand(java.toString(), classPath, stateDir);
    }

    private static List<String> runCommand(String java, String classPath, Path stateDir) {
        return List.of(java, "-cp", classPath, AgentMain.class.getName(), "run", "--state-dir", stateDir.toString());
    }

    /**
     * The first {@code java} on the service manager's search path, as named there (not resolved:
     * {@code /usr/bin/java} follows the system's Java updates, its target does not).
     */
    static Path serviceJava(List<Path> searchPath) throws AgentException {
        for (Path dir : searchPath) {
            Path java = dir.resolve("java");
            if (Files.isRegularFile(java) && Files.isExecutable(java)) {
                return java;
            }
        }
        throw new AgentException("no java in " + searchPath.stream().map(Path::toString)
                .collect(java.util.stream.Collectors.joining(":")) + ", the search path the service manager starts"
                + " services with; install a Java 17 runtime (Debian: apt-get install default-jre-headless) or link"
                + " its java into /usr/local/bin");
    }

    /** {@code PREFIX/bin/castellan-agent} when the class path is the single jar {@code PREFIX/share/castellan/castellan-agent.jar}. */
    static Optional<Path> packagedLauncher(String classPath) {
        Path jar = Path.of(classPath);
        Path shareDir = jar.getParent();
        if (!jar.getFileName().toString().equals(LAUNCHER + ".jar") || shareDir == null
                || !shareDir.getFileName().toString().equals("castellan") || shareDir.getParent() == null
                || !shareDir.getParent().getFileName().toString().equals("share") || shareDir.getParent().getParent() == null) {
            return Optional.empty();
        }
        Path launcher = shareDir.getParent().getParent().resolve("bin").resolve(LAUNCHER);
        return Files.isRegularFile(launcher) && Files.isExecutable(launcher) ? Optional.of(launcher) : Optional.empty();
    }

    /** Windows only: the SCM needs the JVM's own java.exe. */
    static String javaExecutable() {
        Optional<String> current = ProcessHandle.current().info().command();
        if (current.isPresent() && Files.isExecutable(Path.of(current.get()))) {
            return current.get();
        }
        return Path.of(System.getProperty("java.home"), "bin", "java.exe").toString();
    }

    /** The agent jar from the code source; the JVM's class path when running from classes. */
    static String classPath() throws AgentException {
        CodeSource source = AgentMain.class.getProtectionDomain().getCodeSource();
        try {
            if (source != null && source.getLocation() != null) {
                Path location = Path.of(source.getLocation().toURI()).toAbsolutePath().normalize();
                if (Files.isRegularFile(location) && location.toString().endsWith(".jar")
                        && isSelfContained(location)) {
                    return location.toString();
                }
            }
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new AgentException("find the agent jar from " + source.getLocation(), e);
        }
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                entries.add(Path.of(entry).toAbsolutePath().toString());
            }
        }
        if (entries.isEmpty()) {
            throw new AgentException("cannot tell where the agent jar is (no code source, empty class path)");
        }
        return String.join(File.pathSeparator, entries);
    }

    /** A jar alone on the class path is the assembled agent; otherwise keep the whole class path. */
    private static boolean isSelfContained(Path jar) {
        String classPath = System.getProperty("java.class.path", "");
        return classPath.isEmpty() || Path.of(classPath).toAbsolutePath().normalize().equals(jar);
    }
}
