package org.castellan.agent.windows.service;

import java.util.OptionalInt;
import org.castellan.agent.spi.PlatformException;

/** The service control manager calls the installer needs (OpenSCManager and friends). */
public interface ServiceManager {
    /** CreateService: own process, automatic start, LocalSystem. Code {@code service-exists} if it does. */
    void create(String name, String displayName, String binaryPath) throws PlatformException;

    /** ChangeServiceConfig2: description, and restart-on-failure after {@code restartDelayMillis}. */
    void configure(String name, String description, int restartDelayMillis, int resetPeriodSeconds)
            throws PlatformException;

    void start(String name) throws PlatformException;

    /** Sends STOP if running; returns at once. */
    void stop(String name) throws PlatformException;

    /** SERVICE_STOPPED, SERVICE_RUNNING, …; empty when no such service is installed. */
    OptionalInt state(String name) throws PlatformException;

    void delete(String name) throws PlatformException;
}
