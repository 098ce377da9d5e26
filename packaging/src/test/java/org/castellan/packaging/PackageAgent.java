package org.castellan.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.castellan.e2e.ServerProcess;
import org.castellan.e2e.TestJvm;

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

    /**
     * Builds a package of {@code type} preconfigured for {@code server} with the registration key in
     * {@code keyFile}, watching every command line meanwhile: the key must be on none.
     */
    static Path preconfigured(String type, ServerProcess server, Path keyFile, Path output) throws Exception {
        try (ArgvWatch watch = ArgvWatch.forSecret(Admin.key(keyFile))) {
            Path built = build(List.of("--type", type, "--server", server.url(), "--server-fingerprint",
                    server.fingerprint(), "--registration-key-file", keyFile.toString(), "--output", output.toString()));
            assertThat(watch.leaks()).as("the key in no command line while packaging").isEmpty();
            return built;
        }
    }
}
