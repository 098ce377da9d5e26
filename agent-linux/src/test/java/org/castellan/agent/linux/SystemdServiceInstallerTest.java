package org.castellan.agent.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.castellan.agent.spi.PlatformException;
import org.castellan.agent.spi.ServiceSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The installer with a stand-in systemctl on a temporary PATH that records its arguments. */
@EnabledOnOs(OS.LINUX)
class SystemdServiceInstallerTest {
    @TempDir
    Path tmp;
    Path bin;
    Path units;
    Path log;
    SystemdServiceInstaller installer;

    @BeforeEach
    void fakeSystemctl() throws Exception {
        bin = Files.createDirectories(tmp.resolve("bin"));
        units = tmp.resolve("units");
        log = tmp.resolve("systemctl.log");
        writeSystemctl("echo \"$*\" >> " + log + "\nif [ \"$1\" = is-active ]; then echo active; fi");
        installer = new SystemdServiceInstaller(units, Map.of("PATH", bin + ":/usr/bin:/bin"));
    }

    private void writeSystemctl(String body) throws Exception {
        Path systemctl = bin.resolve("systemctl");
        Files.writeString(systemctl, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(systemctl, PosixFilePermissions.fromString("rwx------"));
    }

    private ServiceSpec spec() {
        return new ServiceSpec(List.of("/usr/bin/java", "-cp", "/opt/castellan/agent.jar",
                "org.castellan.agent.cli.AgentMain", "run", "--state-dir", "/var/lib/castellan-agent"),
                Path.of("/var/lib/castellan-agent"));
    }

    @Test
    void installWritesTheUnitThenReloadsAndEnablesIt() throws Exception {
        installer.install(spec());

        Path unit = units.resolve("castellan-agent.service");
        assertThat(Files.readString(unit)).isEqualTo(SystemdUnit.render(spec()));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(unit))).isEqualTo("rw-r--r--");
        assertThat(Files.readAllLines(log)).containsExactly("daemon-reload", "enable --now castellan-agent.service");
        assertThat(installer.status()).isEqualTo("installed (" + unit + "), active");
    }

    @Test
    void uninstallDisablesRemovesAndReloads() throws Exception {
        installer.install(spec());
        Files.delete(log);

        installer.uninstall();

        assertThat(units.resolve("castellan-agent.service")).doesNotExist();
        assertThat(Files.readAllLines(log)).containsExactly("disable --now castellan-agent.service", "daemon-reload");
        assertThat(installer.status()).isEqualTo("not installed");
    }

    @Test
    void uninstallWithoutAUnitSaysSo() {
        assertThatThrownBy(() -> installer.uninstall())
                .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.code()).isEqualTo("service-not-installed"));
    }

    @Test
    void failingSystemctlIsReportedWithItsOutput() throws Exception {
        writeSystemctl("echo 'Failed to connect to bus: No such file or directory' >&2\nexit 1");

        assertThatThrownBy(() -> installer.install(spec()))
                .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.code()).isEqualTo("service-install-failed"))
                .hasMessageContaining("systemctl daemon-reload exited with status 1: Failed to connect to bus");
    }

    @Test
    void missingSystemctlIsExplained() {
        SystemdServiceInstaller noSystemd = new SystemdServiceInstaller(units, Map.of("PATH", tmp.resolve("empty").toString()));

        assertThatThrownBy(() -> noSystemd.install(spec()))
                .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.code()).isEqualTo("systemd-missing"));
        assertThat(units.resolve("castellan-agent.service")).doesNotExist();
    }
}
