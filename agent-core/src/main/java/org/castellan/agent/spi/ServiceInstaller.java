package org.castellan.agent.spi;

/** Installs the agent as a system service (systemd unit, Windows service, launchd daemon). */
public interface ServiceInstaller {
    void install(ServiceSpec spec) throws PlatformException;

    void uninstall() throws PlatformException;

    /** Human-readable: installed or not, running or not. */
    String status() throws PlatformException;
}
