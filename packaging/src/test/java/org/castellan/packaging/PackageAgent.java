package org.castellan.packaging;

import org.castellan.e2e.TestJvm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs the real {@code castellan-server package-agent} from the built server jar and payload. */
final class PackageAgent {
    private PackageAgent() {}

    static Path jars() {
        return Path.of(System.getProperty("castellan.jars", "target")).toAbsolutePath();
    }

    static Command.Result run(List<String> args) throws Exception {
        List<String> command = new ArrayList<>(TestJvm.jar(jars().resolve("castellan-server.jar")));
        command.add("package-agent");
        command.addAll(args);
        return Command.run(command, Map.of(), 180);
    }

    /** Builds and returns the package, failing the test with the command's output when it fails. */
    static Path build(List<String> args) throws Exception {
        Command.Result result = run(args);
        if (result.exitCode() != 0) {
            throw new AssertionError("package-agent " + String.join(" ", args) + ": " + result.describe());
        }
        return Path.of(result.stdout().strip());
    }
}
