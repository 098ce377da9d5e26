package org.castellan.agent.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.castellan.agent.spi.PlatformException;
import org.castellan.agent.spi.ServiceSpec;

/**
 * The agent unit runs with {@code ProtectHome=yes} (no /home, /root, /run/user) and
 * {@code PrivateTmp=yes} (an empty /tmp and /var/tmp of its own). A unit whose java, jar, launcher
 * or state directory lies there would be installed, enabled, and then fail on every start; refuse
 * it up front, with where to put the agent instead.
 */
final class HiddenPaths {
    static final List<Path> HIDDEN = List.of(Path.of("/home"), Path.of("/root"), Path.of("/run/user"),
            Path.of("/tmp"), Path.of("/var/tmp"));

    private HiddenPaths() {}

    static void requireVisible(ServiceSpec spec) throws PlatformException {
        if (!spec.stateDir().toString().matches(SystemdUnit.PLAIN_PATH)) {
            throw new PlatformException("service-path-unsupported", "the state directory " + spec.stateDir()
                    + " must be an absolute path of letters, digits and . _ - + @ / only (it goes into"
                    + " ReadWritePaths= unquoted)");
        }
        for (Path path : pathsTheUnitNeeds(spec)) {
            for (Path checked : List.of(path, realPath(path))) {
                for (Path hidden : HIDDEN) {
                    if (checked.startsWith(hidden)) {
                        throw new PlatformException("service-path-hidden", path + (checked.equals(path) ? "" : " (" + checked + ")")
                                + " is under " + hidden + ", which the agent's unit hides from it (ProtectHome=yes,"
                                + " PrivateTmp=yes); install the agent package, or put the agent jar and state"
                                + " directory elsewhere (e.g. /opt/castellan, /var/lib/castellan-agent)");
                    }
                }
            }
        }
    }

    /** The executable, every class-path or -jar entry, and the state directory. */
    static List<Path> pathsTheUnitNeeds(ServiceSpec spec) {
        List<String> command = spec.command();
        List<Path> paths = new ArrayList<>();
        if (!command.isEmpty()) {
            paths.add(Path.of(command.get(0)));
        }
        for (int i = 1; i + 1 < command.size(); i++) {
            String arg = command.get(i);
            if (arg.equals("-jar") || arg.equals("-cp") || arg.equals("-classpath") || arg.equals("--class-path")) {
                for (String entry : command.get(i + 1).split(":")) {
                    if (!entry.isEmpty()) {
                        paths.add(Path.of(entry));
                    }
                }
            }
        }
        paths.add(spec.stateDir());
        return paths.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    }

    private static Path realPath(Path path) {
        try {
            return Files.exists(path) ? path.toRealPath() : path;
        } catch (IOException e) {
            return path;
        }
    }
}
