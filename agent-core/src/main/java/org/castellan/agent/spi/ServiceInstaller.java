package org.castellan.agent.spi;

/** Installs the agent as a system service (systemd unit, Windows service, launchd daemon). */
public interface ServiceInstaller {
    /**
     * Everything that can be checked before anything is written: the service manager is there
     * and running, and the service as specified could start. {@code install-service} calls it
     * before it touches the state directory; {@link #install} calls it again. The default checks
     * nothing.
     */
    default void checkCanInstall(ServiceSpec spec) throws PlatformException {}

    /** Installs and starts the service; on failure it leaves nothing of itself behind. */
    void install(ServiceSpec spec) throws PlatformException;

    void uninstall() throws PlatformException;

    /** Human-readable: installed or not, running or not. */
    String status() throws PlatformException;
}
