package org.castellan.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unpacks the packages into a throwaway root with {@code dpkg-deb -x} and runs the launchers as
 * they are there: they find their jar relative to themselves and java on PATH.
 */
class ExtractedPackagesRunIT {
    @BeforeAll
    static void needsDpkgDeb() {
        DebFile.assumeDpkgDeb();
    }

    @Test
    void unpackedCliAndAgentLaunchersPrintTheirHelp(@TempDir Path root) throws Exception {
        DebFile.built("castellan-cli").extractTo(root);
        DebFile.built("castellan-agent").extractTo(root);

        Command.Result cli = Command.run(List.of(root.resolve("usr/bin/castellan").toString(), "--help"));
        assertThat(cli.exitCode()).as(cli.describe()).isZero();
        assertThat(cli.stdout()).contains("Usage: castellan ").contains("password");

        Command.Result agent = Command.run(List.of(root.resolve("usr/bin/castellan-agent").toString(), "--help"));
        assertThat(agent.exitCode()).as(agent.describe()).isZero();
        assertThat(agent.stdout()).contains("Usage: castellan-agent ").contains("register");
    }

    @Test
    void unpackedServerLauncherPrintsItsHelp(@TempDir Path root) throws Exception {
        DebFile.built("castellan-server").extractTo(root);
        Command.Result server = Command.run(List.of(root.resolve("usr/bin/castellan-server").toString(), "--help"));
        assertThat(server.exitCode()).as(server.describe()).isZero();
        assertThat(server.stdout()).contains("Usage: castellan-server ").contains("serve");
    }

    @Test
    void launcherCalledThroughASymlinkStillFindsItsJar(@TempDir Path root, @TempDir Path elsewhere) throws Exception {
        DebFile.built("castellan-cli").extractTo(root);
        Path link = Files.createSymbolicLink(elsewhere.resolve("castellan"), root.resolve("usr/bin/castellan"));
        Command.Result cli = Command.run(List.of(link.toString(), "--help"));
        assertThat(cli.exitCode()).as(cli.describe()).isZero();
        assertThat(cli.stdout()).contains("Usage: castellan ");
    }

    @Test
    void cliLauncherCalledByARelativePathFindsItsJarAndNamesItsArchiveForJarAndJava(@TempDir Path root,
            @TempDir Path cache) throws Exception {
        DebFile.built("castellan-cli").extractTo(root);
        Map<String, String> env = Map.of("XDG_CACHE_HOME", cache.toString());
        // As a shell finds it from its own directory (no slash in $0), and from the tree's root.
        for (String line : List.of("cd usr/bin && sh castellan --help", "cd usr && bin/castellan --help")) {
            Command.Result cli = Command.run(List.of("sh", "-c", "cd '" + root + "' && " + line), env);
            assertThat(cli.exitCode()).as(line + ": " + cli.describe()).isZero();
            assertThat(cli.stdout()).as(line).contains("Usage: castellan ");
        }
        // The first run made the class-data archive, named for the jar's and java's size and time.
        try (var files = Files.list(cache.resolve("castellan"))) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .singleElement().asString().matches("cli-\\d+-\\d+-\\d+-\\d+-jsa");
        }
    }

    @Test
    void launcherWithoutItsJarSaysWhichFileIsMissingAndFails(@TempDir Path root) throws Exception {
        DebFile.built("castellan-cli").extractTo(root);
        Files.delete(root.resolve("usr/share/castellan/castellan.jar"));
        Command.Result cli = Command.run(List.of(root.resolve("usr/bin/castellan").toString(), "--help"));
        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.stderr()).contains("share/castellan/castellan.jar not found").contains("castellan-cli package");
    }
}
