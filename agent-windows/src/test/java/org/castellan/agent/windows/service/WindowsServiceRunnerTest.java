package org.castellan.agent.windows.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.castellan.agent.windows.service.ServiceStatusValue.*;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.castellan.agent.spi.AgentService;
import org.castellan.agent.spi.PlatformException;
import org.junit.jupiter.api.Test;

class WindowsServiceRunnerTest {
    /** Plays the SCM: runs ServiceMain on its own thread and sends one control once RUNNING. */
    static final class FakeScm implements ServiceControlDispatcher {
        final List<ServiceStatusValue> statuses = new CopyOnWriteArrayList<>();
        final List<Integer> answers = new CopyOnWriteArrayList<>();
        int dispatcherResult;
        int controlToSend = SERVICE_CONTROL_STOP;
        String registeredName;
        private ControlHandler handler;
        private volatile Thread controls;

        @Override
        public int runDispatcher(String serviceName, Runnable serviceMain) {
            if (dispatcherResult != 0) {
                return dispatcherResult;
            }
            Thread main = new Thread(serviceMain, "fake-ServiceMain");
            main.start();
            try {
                main.join(TimeUnit.SECONDS.toMillis(10));
                if (controls != null) {
                    controls.join(TimeUnit.SECONDS.toMillis(10));
                }
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            return 0;
        }

        @Override
        public Object registerHandler(String serviceName, ControlHandler handler) {
            registeredName = serviceName;
            this.handler = handler;
            return "handle";
        }

        @Override
        public void setStatus(Object handle, ServiceStatusValue status) {
            assertThat(handle).isEqualTo("handle");
            statuses.add(status);
            if (status.currentState() == SERVICE_RUNNING && status.controlsAccepted() != 0 && controls == null) {
                // The SCM calls the handler on another thread.
                controls = new Thread(() -> {
                    answers.add(handler.control(SERVICE_CONTROL_INTERROGATE));
                    answers.add(handler.control(0x80)); // a user-defined control we do not handle
                    answers.add(handler.control(controlToSend));
                });
                controls.start();
            }
        }
    }

    static final class Loop implements AgentService {
        final CountDownLatch stopped = new CountDownLatch(1);
        RuntimeException failure;

        @Override
        public void run() throws Exception {
            if (!stopped.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("stop() never called");
            }
            if (failure != null) {
                throw failure;
            }
        }

        @Override
        public void stop() {
            stopped.countDown();
        }
    }

    @Test
    void reportsStartPendingRunningStopPendingStoppedAndStopsTheLoopOnStop() throws Exception {
        FakeScm scm = new FakeScm();
        Loop loop = new Loop();

        assertThat(new WindowsServiceRunner(scm).run("castellan-agent", loop)).isTrue();

        assertThat(scm.registeredName).isEqualTo("castellan-agent");
        assertThat(scm.statuses).extracting(ServiceStatusValue::currentState)
                .containsSubsequence(SERVICE_START_PENDING, SERVICE_RUNNING, SERVICE_STOP_PENDING, SERVICE_STOPPED);
        assertThat(scm.statuses.get(0).checkPoint()).isPositive();
        assertThat(scm.statuses.get(0).waitHintMillis()).isPositive();
        assertThat(scm.statuses.get(1).controlsAccepted()).isEqualTo(SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_SHUTDOWN);
        ServiceStatusValue last = scm.statuses.get(scm.statuses.size() - 1);
        assertThat(last.currentState()).isEqualTo(SERVICE_STOPPED);
        assertThat(last.win32ExitCode()).isEqualTo(NO_ERROR);
        assertThat(scm.answers).containsExactly(NO_ERROR, ServiceControlDispatcher.ERROR_CALL_NOT_IMPLEMENTED, NO_ERROR);
    }

    @Test
    void shutdownStopsTheLoopLikeStop() throws Exception {
        FakeScm scm = new FakeScm();
        scm.controlToSend = ServiceControlDispatcher.SERVICE_CONTROL_SHUTDOWN;

        new WindowsServiceRunner(scm).run("castellan-agent", new Loop());

        assertThat(scm.statuses).extracting(ServiceStatusValue::currentState).contains(SERVICE_STOP_PENDING)
                .endsWith(SERVICE_STOPPED);
    }

    @Test
    void failedLoopIsReportedAsAServiceSpecificErrorSoRecoveryRestartsIt() {
        FakeScm scm = new FakeScm();
        Loop loop = new Loop();
        loop.failure = new IllegalStateException("state dir unreadable");

        assertThatThrownBy(() -> new WindowsServiceRunner(scm).run("castellan-agent", loop)).isSameAs(loop.failure);

        ServiceStatusValue last = scm.statuses.get(scm.statuses.size() - 1);
        assertThat(last.currentState()).isEqualTo(SERVICE_STOPPED);
        assertThat(last.win32ExitCode()).isEqualTo(ERROR_SERVICE_SPECIFIC_ERROR);
        assertThat(last.serviceSpecificExitCode()).isNotZero();
    }

    @Test
    void failingStartHookStopsTheServiceWithAnErrorBeforeRunning() {
        FakeScm scm = new FakeScm();
        Loop loop = new Loop();
        PlatformException logFailure = new PlatformException("logging-failed", "open the service log");

        assertThatThrownBy(() -> new WindowsServiceRunner(scm).run("castellan-agent", loop, () -> {
            throw logFailure;
        })).isSameAs(logFailure);

        assertThat(scm.statuses).extracting(ServiceStatusValue::currentState)
                .containsExactly(SERVICE_START_PENDING, SERVICE_STOPPED);
        assertThat(scm.statuses.get(1).win32ExitCode()).isEqualTo(ERROR_SERVICE_SPECIFIC_ERROR);
        assertThat(loop.stopped.getCount()).isEqualTo(1); // the loop never ran
    }

    @Test
    void startedFromAConsoleTheRunnerDeclinesSoTheLoopRunsInTheForeground() throws Exception {
        FakeScm scm = new FakeScm();
        scm.dispatcherResult = ServiceControlDispatcher.ERROR_FAILED_SERVICE_CONTROLLER_CONNECT;

        assertThat(new WindowsServiceRunner(scm).run("castellan-agent", new Loop())).isFalse();
        assertThat(scm.statuses).isEmpty();
    }

    @Test
    void otherDispatcherErrorsAreThrown() {
        FakeScm scm = new FakeScm();
        scm.dispatcherResult = 5;

        assertThatThrownBy(() -> new WindowsServiceRunner(scm).run("castellan-agent", new Loop()))
                .isInstanceOf(PlatformException.class).hasMessageContaining("Win32 error 5");
    }
}
