package org.castellan.agent.macos.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.castellan.agent.macos.FakeMacTools;
import org.castellan.agent.macos.parse.PlistReader;
import org.castellan.agent.macos.process.ProcessCommandRunner;
import org.castellan.agent.spi.PlatformException;
import org.castellan.agent.spi.ServiceSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** install/uninstall against a fake launchctl, run through the real ProcessBuilder runner. */
class LaunchdServiceInstallerProcessTest {
    private static final String JAVA = "/Library/Castellan/jre/bin/java";
    private static final String JAR = "/Library/Castellan/castellan-agent.jar";
    private static final ServiceSpec SPEC = new ServiceSpec(
            List.of(JAVA, "-jar", JAR, "run", "--state-dir", "/Library/Application Support/Castellan"),
            Path.of("/Library/Application Support/Castellan"));

    @TempDir
    Path temp;

    private FakeMacTools fake;
    private LaunchdPaths paths;

    @BeforeEach
    void setUp() {
        fake = new FakeMacTools(temp.resolve("fake"));
        paths = new LaunchdPaths(temp.resolve("LaunchDaemons/org.castellan.agent.plist"), temp.resolve("Logs/Castellan"), false);
    }

    private LaunchdServiceInstaller installer(PathOwnership ownership) {
        return new LaunchdServiceInstaller(new ProcessCommandRunner(), fake.tools(), paths, ownership);
    }

    @Test
    void installWritesA0644PlistThenEnablesAndBootstrapsTheDaemon() throws Exception {
        installer(new FakePathOwnership()).install(SPEC);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(paths.plist()))).isEqualTo("rw-r--r--");
        Map<String, Object> plist = PlistReader.readDict(Files.readString(paths.plist()));
        assertThat(plist).containsEntry("Label", "org.castellan.agent")
                .containsEntry("ProgramArguments", SPEC.command())
                .containsEntry("RunAtLoad", true).containsEntry("KeepAlive", true);
        assertThat(paths.logDir()).isDirectory();
        assertThat(fake.invocations()).containsExactly(
                List.of("launchctl", "enable", "system/org.castellan.agent"),
                List.of("launchctl", "bootstrap", "system", paths.plist().toString()));
    }

    @Test
    void reinstallBootsOutTheLoadedDaemonBeforeBootstrapping() throws Exception {
        LaunchdServiceInstaller installer = installer(new FakePathOwnership());
        installer.install(SPEC);
        installer.install(SPEC);

        assertThat(fake.invocations()).containsExactly(
                List.of("launchctl", "enable", "system/org.castellan.agent"),
                List.of("launchctl", "bootstrap", "system", paths.plist().toString()),
                List.of("launchctl", "bootout", "system/org.castellan.agent"),
                List.of("launchctl", "enable", "system/org.castellan.agent"),
                List.of("launchctl", "bootstrap", "system", paths.plist().toString()));
    }

    @Test
    void failedBootstrapIsReportedWithLaunchctlsWords() {
        fake.respond("launchctl", List.of("bootstrap", "system", paths.plist().toString()), "",
                "Bootstrap failed: 5: Input/output error\n", 5);

        assertThatThrownBy(() -> installer(new FakePathOwnership()).install(SPEC))
                .isInstanceOfSatisfying(PlatformException.class, e -> {
                    assertThat(e.code()).isEqualTo("service-install-failed");
                    assertThat(e.getMessage()).contains("Bootstrap failed: 5");
                });
        assertThat(paths.plist()).as("nothing left behind").doesNotExist();
        assertThat(fake.invocations()).endsWith(List.of("launchctl", "bootout", "system/org.castellan.agent"));
    }

    @Test
    void failedReinstallPutsThePreviousPlistBackAndLoadsIt() throws Exception {
        LaunchdServiceInstaller installer = installer(new FakePathOwnership());
        installer.install(SPEC);
        String before = Files.readString(paths.plist());
        ServiceSpec other = new ServiceSpec(List.of(JAVA, "-jar", JAR, "run", "--state-dir", "/Library/Other"),
                Path.of("/Library/Other"));
        fake.onCall(2, "launchctl", List.of("bootstrap", "system", paths.plist().toString()), "", "Bootstrap failed: 5\n", 5);

        assertThatThrownBy(() -> installer.install(other)).isInstanceOf(PlatformException.class);

        assertThat(Files.readString(paths.plist())).isEqualTo(before);
        assertThat(fake.invocations()).endsWith(List.of("launchctl", "bootout", "system/org.castellan.agent"),
                List.of("launchctl", "bootstrap", "system", paths.plist().toString()));
    }

    @Test
    void withoutLaunchctlNothingIsWritten() throws Exception {
        Files.delete(Path.of(fake.tools().launchctl()));

        assertThatThrownBy(() -> installer(new FakePathOwnership()).install(SPEC))
                .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.code()).isEqualTo("launchd-missing"));
        assertThat(paths.plist()).doesNotExist();
        assertThat(paths.logDir()).doesNotExist();
    }

    @Test
    void javaInAUserWritablePlaceIsRefusedBeforeAnythingIsWritten() {
        FakePathOwnership ownership = new FakePathOwnership().owner("/Library/Castellan/jre", "alice", "rwxr-xr-x");

        assertThatThrownBy(() -> installer(ownership).install(SPEC))
                .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.code()).isEqualTo("unsafe-path"));
        assertThat(paths.plist()).doesNotExist();
        assertThat(fake.invocations()).isEmpty();
    }

    @Test
    void agentJarInAWorldWritableDirectoryIsRefused() {
        FakePathOwnership ownership = new FakePathOwnership().owner("/Library/Castellan", "root", "rwxrwxrwx");

        assertThatThrownBy(() -> installer(ownership).install(SPEC))
                .isInstanceOfSatisfying(PlatformException.class, e -> {
                    assertThat(e.code()).isEqualTo("unsafe-path");
                    assertThat(e.getMessage()).contains("world-writable");
                });
        assertThat(paths.plist()).doesNotExist();
    }

    @Test
    void classPathEntriesAreCheckedToo() {
        ServiceSpec spec = new ServiceSpec(List.of(JAVA, "-cp", "/Library/Castellan/a.jar:/Users/bob/b.jar", "org.castellan.Main"), Path.of("/x"));
        FakePathOwnership ownership = new FakePathOwnership().owner("/Users/bob/b.jar", "bob", "rw-r--r--");

        assertThatThrownBy(() -> installer(ownership).install(spec))
                .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.getMessage()).contains("/Users/bob/b.jar"));
    }

    @Test
    void uninstallBootsOutThenRemovesThePlist() throws Exception {
        LaunchdServiceInstaller installer = installer(new FakePathOwnership());
        installer.install(SPEC);

        installer.uninstall();

        assertThat(paths.plist()).doesNotExist();
        assertThat(fake.invocations()).endsWith(List.of("launchctl", "bootout", "system/org.castellan.agent"));
    }

    @Test
    void uninstallOfADaemonThatIsNotLoadedStillRemovesThePlist() throws Exception {
        Files.createDirectories(paths.plist().getParent());
        Files.writeString(paths.plist(), "<plist/>");
        fake.respond("launchctl", List.of("bootout", "system/org.castellan.agent"), "",
                "Boot-out failed: 113: Could not find specified service\n", 113);

        installer(new FakePathOwnership()).uninstall();

        assertThat(paths.plist()).doesNotExist();
    }

    @Test
    void uninstallFailureOtherThanNotLoadedKeepsThePlist() throws Exception {
        Files.createDirectories(paths.plist().getParent());
        Files.writeString(paths.plist(), "<plist/>");
        fake.respond("launchctl", List.of("bootout", "system/org.castellan.agent"), "", "Boot-out failed: 1: Operation not permitted\n", 1);

        assertThatThrownBy(() -> installer(new FakePathOwnership()).uninstall())
                .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.code()).isEqualTo("service-uninstall-failed"));
        assertThat(paths.plist()).exists();
    }

    @Test
    void statusSaysWhetherInstalledAndLoaded() throws Exception {
        LaunchdServiceInstaller installer = installer(new FakePathOwnership());
        assertThat(installer.status()).isEqualTo("not installed");

        installer.install(SPEC);
        fake.respond("launchctl", List.of("print", "system/org.castellan.agent"),
                "system/org.castellan.agent = {\n\tactive count = 1\n\tpath = /Library/LaunchDaemons/org.castellan.agent.plist\n\tstate = running\n}\n", "", 0);
        assertThat(installer.status()).contains("loaded, state running");
    }
}
