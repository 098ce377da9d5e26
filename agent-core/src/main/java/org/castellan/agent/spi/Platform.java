package org.castellan.agent.spi;

import java.nio.file.Path;

/** One operating system's implementation of what the agent needs. */
public interface Platform {
    /** {@code linux}, {@code windows} or {@code macos}: the value reported to the server. */
    String os();

    /** Host name and OS version, read fresh on each call (both can change). */
    OsInfo osInfo();

    /** Where the agent keeps its state when {@code --state-dir} is not given. */
    Path defaultStateDir();

    AccountManager accounts();

    /** Protects the device private key at rest (DPAPI on Windows, a 0600 file elsewhere). */
    KeyProtector keyProtector();

    /**
     * Tells the platform which state directory this run uses (the {@code --state-dir} flag, the
     * environment or {@link #defaultStateDir()}). agent-core calls it once, before anything else
     * touches the platform, in every command that has a state directory. Platforms that keep
     * their own files there (macOS: the current password, the FileVault key) must use this one
     * and not the default. The default does nothing.
     */
    default void useStateDir(Path stateDir) {}

    /** Applies OS-appropriate permissions to the agent's state directory. */
    void secureStateDir(Path stateDir) throws PlatformException;

    ServiceInstaller serviceInstaller();

    /** Disk-encryption recovery keys; platforms without support return {@link RecoveryKeySource#NONE}. */
    default RecoveryKeySource recoveryKeys() {
        return RecoveryKeySource.NONE;
    }

    /** Just-in-time administrator rights; platforms without them return {@link AdminRights#NONE}. */
    default AdminRights adminRights() {
        return AdminRights.NONE;
    }

    /** LUKS2 volumes and their key slots; platforms without LUKS return {@link LuksVolumes#NONE}. */
    default LuksVolumes luksVolumes() {
        return LuksVolumes.NONE;
    }

    /**
     * What identifies this machine (see {@link MachineIdentity}), read fresh on each call. The
     * default knows nothing, and clone detection is then off for this platform.
     */
    default MachineIdentity machineIdentity() {
        return MachineIdentity.UNKNOWN;
    }

    /** Creates and deletes the selftest's disposable account; platforms without it throw {@code unsupported}. */
    default ThrowawayAccounts throwawayAccounts() throws PlatformException {
        throw new PlatformException("unsupported", "this platform cannot create a throwaway account");
    }

    /**
     * The platform's own checks for {@code castellan-agent diagnose}: its tools (present, and
     * their versions), native calls, state directory ownership and modes. Never throws: a check
     * that cannot be made is a {@code fail} or {@code skip} line.
     */
    default java.util.List<DiagnosticCheck> diagnostics(Path stateDir) {
        return java.util.List.of();
    }

    /**
     * Runs the agent's service loop the way this OS expects a service to run. The default runs it
     * in the foreground and stops it on JVM shutdown (systemd, launchd); Windows hands it to the
     * service control manager.
     */
    default void runAsService(AgentService service) throws Exception {
        Thread hook = new Thread(service::stop, "castellan-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        service.run();
    }
}
