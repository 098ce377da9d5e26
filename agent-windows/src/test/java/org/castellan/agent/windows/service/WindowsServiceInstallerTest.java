package org.castellan.agent.windows.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.OptionalInt;
import org.castellan.agent.spi.PlatformException;
import org.castellan.agent.spi.ServiceSpec;
import org.junit.jupiter.api.Test;

class WindowsServiceInstallerTest {
    static final class FakeServiceManager implements ServiceManager {
        final List<String> calls = new ArrayList<>();
        final Deque<Integer> states = new ArrayDeque<>();
        boolean installed;
        String binaryPath;
        PlatformException configureFailure;
        PlatformException startFailure;

        @Override
        public void create(String name, String displayName, String binaryPath) {
            calls.add("create " + name);
            this.binaryPath = binaryPath;
            installed = true;
            states.add(ServiceStatusValue.SERVICE_STOPPED);
        }

        @Override
        public void configure(String name, String description, int restartDelayMillis, int resetPeriodSeconds)
                throws PlatformException {
            calls.add("configure " + restartDelayMillis + " " + resetPeriodSeconds);
            if (configureFailure != null) {
                throw configureFailure;
            }
        }

        @Override
        public void start(String name) throws PlatformException {
            calls.add("start");
            if (startFailure != null) {
                throw startFailure;
            }
        }

        @Override
        public void stop(String name) {
            calls.add("stop");
        }

        @Override
        public OptionalInt state(String name) {
            if (!installed) {
                return OptionalInt.empty();
            }
            return OptionalInt.of(states.size() > 1 ? states.poll() : states.peek());
        }

        @Override
        public void delete(String name) {
            calls.add("delete");
            installed = false;
        }
    }

    private final FakeServiceManager scm = new FakeServiceManager();
    private final List<java.time.Duration> sleeps = new ArrayList<>();
    private final WindowsServiceInstaller installer = new WindowsServiceInstaller(scm, sleeps::add);

    @Test
    void installCreatesAQuotedAutoStartServiceWithRestartAfterSixtySeconds() throws Exception {
        installer.install(new ServiceSpec(List.of("C:\\Program Files\\Castellan\\java.exe", "-jar",
                "C:\\Program Files\\Castellan\\agent.jar", "run", "--state-dir", "C:\\ProgramData\\Castellan"),
                Path.of("state")));

        assertThat(scm.calls).containsExactly("create castellan-agent", "configure 60000 86400", "start");
        assertThat(scm.binaryPath).startsWith("\"C:\\Program Files\\Castellan\\java.exe\" -jar \"C:\\Program Files");
        assertThat(installer.status()).isEqualTo("installed, stopped");
    }

    @Test
    void serviceWhoseRestartPolicyCannotBeSetIsRemovedAgain() {
        scm.configureFailure = new PlatformException("access-denied", "configure service castellan-agent");

        assertThatThrownBy(() -> installer.install(new ServiceSpec(List.of("java.exe"), Path.of("s"))))
                .isSameAs(scm.configureFailure);
        assertThat(scm.calls).containsExactly("create castellan-agent", "configure 60000 86400", "delete");
        assertThat(scm.installed).isFalse();
    }

    @Test
    void startFailureLeavesTheServiceInstalledAndSaysSo() {
        scm.startFailure = new PlatformException("service-install-failed", "start service castellan-agent: Win32 error 1053");

        assertThatThrownBy(() -> installer.install(new ServiceSpec(List.of("java.exe"), Path.of("s"))))
                .hasMessageContaining("is installed but did not start").hasMessageContaining("1053");
        assertThat(scm.installed).isTrue();
    }

    @Test
    void installingTwiceIsRefused() throws Exception {
        scm.installed = true;
        scm.states.add(ServiceStatusValue.SERVICE_RUNNING);

        assertThatThrownBy(() -> installer.install(new ServiceSpec(List.of("java.exe"), Path.of("s"))))
                .extracting(e -> ((PlatformException) e).code()).isEqualTo("service-exists");
        assertThat(scm.calls).isEmpty();
    }

    @Test
    void uninstallStopsWaitsForStoppedThenDeletes() throws Exception {
        scm.installed = true;
        scm.states.addAll(List.of(ServiceStatusValue.SERVICE_RUNNING, ServiceStatusValue.SERVICE_STOP_PENDING,
                ServiceStatusValue.SERVICE_STOP_PENDING, ServiceStatusValue.SERVICE_STOPPED));

        installer.uninstall();

        assertThat(scm.calls).containsExactly("stop", "delete");
        assertThat(sleeps).hasSize(2);
        assertThat(installer.status()).isEqualTo("not installed");
    }

    @Test
    void serviceThatDoesNotStopIsNotDeleted() {
        scm.installed = true;
        scm.states.add(ServiceStatusValue.SERVICE_STOP_PENDING);

        assertThatThrownBy(installer::uninstall)
                .extracting(e -> ((PlatformException) e).code()).isEqualTo("service-stop-timeout");
        assertThat(scm.calls).doesNotContain("delete");
    }

    @Test
    void uninstallingWhatIsNotInstalledDoesNothing() throws Exception {
        installer.uninstall();

        assertThat(scm.calls).isEmpty();
    }
}
