package org.castellan.agent.cli;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.castellan.agent.AgentException;
import org.castellan.agent.state.StateDir;

/**
 * The command line a service definition runs: this same Java, this same agent jar (or class path),
 * {@code run --state-dir DIR}. Absolute paths throughout, since services start in an unrelated
 * working directory.
 */
final class ServiceCommandLine {
    private ServiceCommandLine() {}

    static List<String> forRun(StateDir dir) throws AgentException {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.add("-cp");
        command.add(classPath());
        command.add(AgentMain.class.getName());
        command.add("run");
        command.add("--state-dir");
        command.add(dir.path().toString());
        return command;
    }

    static String javaExecutable() {
        Optional<String> current = ProcessHandle.current().info().command();
        if (current.isPresent() && Files.isExecutable(Path.of(current.get()))) {
            return current.get();
        }
        boolean windows = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("win");
        return Path.of(System.getProperty("java.home"), "bin", windows ? "java.exe" : "java").toString();
    }

    /** The agent jar from the code source; the JVM's class path when running from classes. */
    static String classPath() throws AgentException {
        CodeSource source = AgentMain.class.getProtectionDomain().getCodeSource();
        try {
            if (source != null && source.getLocation() != null) {
                Path location = Path.of(source.getLocation().toURI()).toAbsolutePath();
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
        return classPath.isEmpty() || Path.of(classPath).toAbsolutePath().equals(jar);
    }
}
