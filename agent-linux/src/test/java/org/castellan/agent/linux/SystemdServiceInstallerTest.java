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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The installer with a stand-in systemctl on a temporary PATH that records its arguments, and a
 * stand-in for /run/systemd/system (present: systemd is running). The same installer runs against
 * the real systemd in packaging's SystemdContainerIT.
 */
@EnabledOnOs(OS.LINUX)
class SystemdServiceInstallerTest {
    @TempDir
    Path tmp;
    Path bin;
    Path units;
    Path log;
    Path running;
    SystemdServiceInstaller installer;

    @BeforeEach
    void fakeSystemctl() throws Exception {
        bin = Files.createDirectories(tmp.resolve("bin"));
        units = tmp.resolve("units");
        log = tmp.resolve("systemctl.log");
        running = Files.createDirectories(tmp.resolve("run/systemd/system"));
        writeSystemctl("echo \"$*\" >> " + log + "\nif [ \"$1\" = is-active ]; then echo active; fi");
        installer = new SystemdServiceInstaller(units, running, Map.of("PATH", bin + ":/usr/bin:/bin"));
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
        assertThat(Files.readAllLines(log)).containsExactly("daemon-reload", "enable castellan-agent.service",
                "restart castellan-agent.service");
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
    void failingDaemonReloadIsReportedWithItsOutputAndLeavesNoUnit() throws Exception {
        writeSystemctl("echo \"$*\" >> " + log + "\necho 'Failed to connect to bus: No such file or directory' >&2\nexit 1");

        assertThatThrownBy(() -> installer.install(spec()))
                .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.code()).isEqualTo("service-install-failed"))
                .hasMessageContaining("systemctl daemon-reload exited with status 1: Failed to connect to bus");
        assertThat(units).isEmptyDirectory();
    }

    @Test
    void failingStartDisablesAndRemovesTheNewUnit() throws Exception {
        writeSystemctl("echo \"$*\" >> " + log + "\nif [ \"$1\" = restart ]; then echo 'Job for castellan-agent.service failed' >&2; exit 1; fi");

        assertThatThrownBy(() -> installer.install(spec())).isInstanceOf(PlatformException.class)
                .hasMessageContaining("systemctl restart castellan-agent.service exited with status 1: Job for");

        assertThat(units).isEmptyDirectory();
        assertThat(Files.readAllLines(log)).containsExactly("daemon-reload", "enable castellan-agent.service",
                "restart castellan-agent.service", "disable --now castellan-agent.service", "daemon-reload");
    }

    @Test
    void failingReinstallPutsThePreviousUnitBack() throws Exception {
        Files.createDirectories(units);
        Path unit = units.resolve("castellan-agent.service");
        Files.writeString(unit, "[Service]\nExecStart=/usr/bin/castellan-agent run\n");
        writeSystemctl("echo \"$*\" >> " + log + "\nif [ \"$1\" = restart ]; then exit 1; fi");

        assertThatThrownBy(() -> installer.install(spec())).isInstanceOf(PlatformException.class);

        assertThat(Files.readString(unit)).isEqualTo("[Service]\nExecStart=/usr/bin/castellan-agent run\n");
        assertThat(Files.readAllLines(log)).endsWith("disable --now castellan-agent.service", "daemon-reload",
                "enable --now castellan-agent.service");
        try (var files = Files.list(units)) {
            assertThat(files).containsExactly(unit);
        }
    }

    @Test
    void withoutARunningSystemdNothingIsWrittenAndSystemctlIsNotCalled() throws Exception {
        // This machine's case: systemctl is installed, but systemd is not the init.
        Files.delete(running);

        assertThatThrownBy(() -> installer.install(spec()))
                .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.code()).isEqualTo("systemd-missing"))
                .hasMessageContaining("systemd is not running here (no " + running + ")");
        assertThatThrownBy(() -> installer.checkCanInstall(spec())).isInstanceOf(PlatformException.class);
        assertThat(units).doesNotExist();
        assertThat(log).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/root/castellan/castellan-agent.jar", "/home/ann/agent.jar", "/tmp/castellan-agent.jar",
            "/var/tmp/a.jar:/opt/castellan/b.jar", "/run/user/1000/agent.jar"})
    void aJarTheUnitsSandboxWouldHideIsRefusedBeforeAnythingIsWritten(String classPath) {
        ServiceSpec spec = new ServiceSpec(List.of("/usr/bin/java", "-cp", classPath, "org.castellan.agent.cli.AgentMain",
                "run", "--state-dir", "/var/lib/castellan-agent"), Path.of("/var/lib/castellan-agent"));

        assertThatThrownBy(() -> installer.install(spec))
                .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.code()).isEqualTo("service-path-hidden"))
                .hasMessageContaining("ProtectHome=yes, PrivateTmp=yes");
        assertThat(units).doesNotExist();
        assertThat(log).doesNotExist();
    }

    @Test
    void aLauncherOrStateDirectoryTheSandboxWouldHideIsRefused() {
        ServiceSpec launcherUnderHome = new ServiceSpec(List.of("/home/ann/castellan/usr/bin/castellan-agent", "run"),
                Path.of("/var/lib/castellan-agent"));
        ServiceSpec stateUnderTmp = new ServiceSpec(List.of("/usr/bin/castellan-agent", "run", "--state-dir",
                "/tmp/state"), Path.of("/tmp/state"));

        assertThatThrownBy(() -> installer.install(launcherUnderHome)).hasMessageContaining("/home/ann/castellan");
        assertThatThrownBy(() -> installer.install(stateUnderTmp)).hasMessageContaining("/tmp/state is under /tmp");
        assertThat(units).doesNotExist();
    }

    @Test
    void aJarLinkedFromAVisiblePlaceIntoRootsHomeIsRefusedToo() throws Exception {
        // The link must sit in a place the service can see, which no @TempDir is (they are under
        // /tmp): the build directory, or /dev/shm when the checkout itself is under a hidden path.
        Path build = Files.createDirectories(Path.of("target")).toRealPath();
        boolean buildIsVisible = HiddenPaths.HIDDEN.stream().noneMatch(build::startsWith);
        Path dir = buildIsVisible ? Files.createDirectories(build.resolve("hidden-paths-test"))
                : Files.createTempDirectory(Path.of("/dev/shm"), "castellan-hidden-paths-");
        Path link = dir.resolve("agent.jar");
        try {
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, Path.of("/root"));
            ServiceSpec spec = new ServiceSpec(List.of("/usr/bin/java", "-cp", link.toString(), "Main", "run"),
                    Path.of("/var/lib/castellan-agent"));

            assertThatThrownBy(() -> installer.install(spec)).hasMessageContaining(link + " (/root) is under /root");
        } finally {
            Files.deleteIfExists(link);
            if (!buildIsVisible) {
                Files.deleteIfExists(dir);
            }
        }
    }

    @Test
    void missingSystemctlIsExplained() {
        SystemdServiceInstaller noSystemd = new SystemdServiceInstaller(units, running, Map.of("PATH", tmp.resolve("empty").toString()));

        assertThatThrownBy(() -> noSystemd.install(spec()))
                .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.code()).isEqualTo("systemd-missing"));
        assertThat(units.resolve("castellan-agent.service")).doesNotExist();
    }
}
