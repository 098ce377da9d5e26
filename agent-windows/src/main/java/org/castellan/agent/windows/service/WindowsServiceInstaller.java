package org.castellan.agent.windows.service;

import java.time.Duration;
import java.util.OptionalInt;
import org.castellan.agent.spi.PlatformException;
import org.castellan.agent.spi.ServiceInstaller;
import org.castellan.agent.spi.ServiceSpec;

/** Installs {@code castellan-agent} as an automatic LocalSystem service that restarts after failures. */
public final class WindowsServiceInstaller implements ServiceInstaller {
    static final String DISPLAY_NAME = "Castellan agent";
    static final String DESCRIPTION =
            "Rotates the local administrator password and escrows BitLocker recovery keys to the Castellan server.";
    static final int RESTART_DELAY_MILLIS = 60_000;
    static final int RESET_PERIOD_SECONDS = 86_400;
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    static final Duration POLL = Duration.ofMillis(500);

    /** Waits between state polls; a test passes one that does not sleep. */
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final ServiceManager scm;
    private final Sleeper sleeper;

    public WindowsServiceInstaller(ServiceManager scm, Sleeper sleeper) {
        this.scm = scm;
        this.sleeper = sleeper;
    }

    @Override
    public void install(ServiceSpec spec) throws PlatformException {
        String name = ServiceSpec.SERVICE_NAME;
        if (scm.state(name).isPresent()) {
            throw new PlatformException("service-exists", "service " + name
                    + " is already installed; run uninstall-service first to change it");
        }
        String commandLine;
        try {
            commandLine = CommandLines.toCommandLine(spec.command());
        } catch (IllegalArgumentException e) {
            throw new PlatformException("service-install-failed", "build the service command line: " + e.getMessage(), e);
        }
        scm.create(name, DISPLAY_NAME, commandLine);
        try {
            scm.configure(name, DESCRIPTION, RESTART_DELAY_MILLIS, RESET_PERIOD_SECONDS);
        } catch (PlatformException e) {
            // A service without its restart policy is not what was asked for: take it away again.
            try {
                scm.delete(name);
            } catch (PlatformException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        try {
            scm.start(name);
        } catch (PlatformException e) {
            throw new PlatformException(e.code(), "service " + name
                    + " is installed but did not start (it will start at boot): " + e.getMessage(), e);
        }
    }

    @Override
    public void uninstall() throws PlatformException {
        String name = ServiceSpec.SERVICE_NAME;
        if (scm.state(name).isEmpty()) {
            return; // nothing installed: uninstalling twice is fine
        }
        scm.stop(name);
        long polls = STOP_TIMEOUT.toMillis() / POLL.toMillis();
        for (long i = 0; ; i++) {
            OptionalInt state = scm.state(name);
            if (state.isEmpty() || state.getAsInt() == ServiceStatusValue.SERVICE_STOPPED) {
                break;
            }
            if (i >= polls) {
                throw new PlatformException("service-stop-timeout", "service " + name + " did not stop within "
                        + STOP_TIMEOUT.toSeconds() + " s; it was not deleted");
            }
            try {
                sleeper.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PlatformException("service-stop-timeout", "interrupted while waiting for " + name + " to stop", e);
            }
        }
        scm.delete(name);
    }

    @Override
    public String status() throws PlatformException {
        OptionalInt state = scm.state(ServiceSpec.SERVICE_NAME);
        if (state.isEmpty()) {
            return "not installed";
        }
        return "installed, " + switch (state.getAsInt()) {
            case ServiceStatusValue.SERVICE_STOPPED -> "stopped";
            case ServiceStatusValue.SERVICE_START_PENDING -> "starting";
            case ServiceStatusValue.SERVICE_STOP_PENDING -> "stopping";
            case ServiceStatusValue.SERVICE_RUNNING -> "running";
            default -> "state " + state.getAsInt();
        };
    }
}
