package org.castellan.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.castellan.agent.spi.ServiceSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent unit in the package is a static file (src/deb/agent/castellan-agent.service); this
 * keeps it equal to what {@code castellan-agent install-service} writes for the packaged paths, so
 * the two cannot drift. The package's copy differs on purpose in exactly two lines: its header
 * comment (it is not written by install-service, and uninstall-service cannot remove it), and
 * {@code ConditionPathExists} on agent.json, because a package is installed before the device is
 * registered while install-service only ever runs after registration.
 */
class PackagedAgentUnitIT {
    static final String STATE_DIR = "/var/lib/castellan-agent";
    static final String CONDITION = "ConditionPathExists=" + STATE_DIR + "/agent.json";
    static final String HEADER =
            "# Installed by the castellan-agent package. Starts only once the device is registered (agent.json exists).";

    @BeforeAll
    static void needsDpkgDeb() {
        DebFile.assumeDpkgDeb();
    }

    @Test
    void packagedUnitIsWhatInstallServiceWritesForThePackagedPathsPlusTheRegistrationCondition(@TempDir Path root)
            throws Exception {
        DebFile.built("castellan-agent").extractTo(root);
        String packaged = Files.readString(root.resolve("lib/systemd/system/castellan-agent.service"));

        String generated = systemdUnitFor(List.of("/usr/bin/castellan-agent", "run", "--state-dir", STATE_DIR));
        List<String> expected = new ArrayList<>(generated.lines().toList());
        assertThat(expected.get(0)).as("only a comment is replaced").startsWith("# ");
        expected.set(0, HEADER);
        expected.add(expected.indexOf("After=network-online.target") + 1, CONDITION);

        assertThat(packaged.lines().toList()).containsExactlyElementsOf(expected);
        assertThat(packaged).endsWith("\n");
    }

    @Test
    void packagedUnitRunsTheInstalledLauncherOnThePackagedStateDirectory(@TempDir Path root) throws Exception {
        DebFile.built("castellan-agent").extractTo(root);
        List<String> unit = Files.readAllLines(root.resolve("lib/systemd/system/castellan-agent.service"));
        assertThat(unit).contains("ExecStart=/usr/bin/castellan-agent run --state-dir " + STATE_DIR, CONDITION);
        assertThat(unit.indexOf(CONDITION)).as("in [Unit]").isLessThan(unit.indexOf("[Service]"));
    }

    /** {@code SystemdUnit.render} is package-private in agent-linux; on the class path it is reachable. */
    static String systemdUnitFor(List<String> command) throws Exception {
        Class<?> unit = Class.forName("org.castellan.agent.linux.SystemdUnit");
        Method render = unit.getDeclaredMethod("render", ServiceSpec.class);
        render.setAccessible(true);
        return (String) render.invoke(null, new ServiceSpec(command, Path.of(STATE_DIR)));
    }
}
