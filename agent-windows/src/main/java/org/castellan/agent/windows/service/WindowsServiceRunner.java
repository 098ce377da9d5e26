package org.castellan.agent.windows.service;

import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.castellan.agent.spi.AgentService;
import org.castellan.agent.spi.PlatformException;

/**
 * Runs the agent loop as a Windows service: hands a ServiceMain to the dispatcher, reports
 * START_PENDING → RUNNING, and on STOP or SHUTDOWN reports STOP_PENDING and asks the loop to stop;
 * once the loop has returned it reports STOPPED (with an error code if the loop failed, so the
 * recovery actions restart it).
 */
public final class WindowsServiceRunner {
    private static final Logger LOG = Logger.getLogger(WindowsServiceRunner.class.getName());

    private final ServiceControlDispatcher scm;

    public WindowsServiceRunner(ServiceControlDispatcher scm) {
        this.scm = scm;
    }

    /**
     * @return false when the process was not started by the service control manager (run from a
     *     console), so the caller runs the loop in the foreground instead
     * @throws Exception what the loop threw, after STOPPED was reported
     */
    public boolean run(String serviceName, AgentService service) throws Exception {
        return run(serviceName, service, () -> {});
    }

    /**
     * @param onStart runs first inside ServiceMain, i.e. only when really started as a service
     *     (e.g. to send logs to files: a service has no stderr); if it throws, the service stops
     *     with an error
     */
    public boolean run(String serviceName, AgentService service, StartHook onStart) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        int rc = scm.runDispatcher(serviceName, () -> serviceMain(serviceName, service, onStart, failure));
        if (rc == ServiceControlDispatcher.ERROR_FAILED_SERVICE_CONTROLLER_CONNECT) {
            return false;
        }
        if (rc != 0) {
            throw new PlatformException("service-dispatch-failed",
                    "connect to the service control manager (StartServiceCtrlDispatcher): Win32 error " + rc);
        }
        Throwable thrown = failure.get();
        if (thrown instanceof Exception e) {
            throw e;
        }
        if (thrown instanceof Error e) {
            throw e;
        }
        return true;
    }

    /** Work done at the start of ServiceMain. */
    public interface StartHook {
        void started() throws Exception;
    }

    private void serviceMain(String serviceName, AgentService service, StartHook onStart,
            AtomicReference<Throwable> failure) {
        ServiceStatusSequence statuses = new ServiceStatusSequence();
        AtomicReference<Object> handle = new AtomicReference<>();
        Object registered = scm.registerHandler(serviceName, code -> switch (code) {
            case ServiceControlDispatcher.SERVICE_CONTROL_STOP, ServiceControlDispatcher.SERVICE_CONTROL_SHUTDOWN -> {
                if (statuses.state() == ServiceStatusValue.SERVICE_RUNNING) {
                    scm.setStatus(handle.get(), statuses.stopPending());
                    service.stop();
                }
                yield ServiceStatusValue.NO_ERROR;
            }
            case ServiceControlDispatcher.SERVICE_CONTROL_INTERROGATE -> {
                scm.setStatus(handle.get(), statuses.current());
                yield ServiceStatusValue.NO_ERROR;
            }
            default -> ServiceControlDispatcher.ERROR_CALL_NOT_IMPLEMENTED;
        });
        if (registered == null) {
            failure.set(new PlatformException("service-dispatch-failed",
                    "register the service control handler (RegisterServiceCtrlHandlerEx) failed"));
            return;
        }
        handle.set(registered);
        scm.setStatus(registered, statuses.startPending());
        boolean failed = false;
        try {
            onStart.started();
            scm.setStatus(registered, statuses.running());
            service.run();
        } catch (Throwable t) {
            failed = true;
            failure.set(t);
            LOG.log(Level.SEVERE, "agent service loop failed", t);
        }
        scm.setStatus(registered, statuses.stopped(failed));
    }
}
