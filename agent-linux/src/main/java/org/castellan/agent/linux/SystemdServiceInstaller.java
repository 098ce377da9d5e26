package org.castellan.agent.linux;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.castellan.agent.spi.PlatformException;
import org.castellan.agent.spi.ServiceInstaller;
import org.castellan.agent.spi.ServiceSpec;

/**
 * Installs the agent as {@code castellan-agent.service} and drives it with systemctl. Nothing is
 * written before everything that can be checked has been (systemd running, systemctl found, no
 * path the unit's sandbox would hide), and a failed install takes its unit away again.
 */
final class SystemdServiceInstaller implements ServiceInstaller {
    static final String UNIT_DIR_ENV = "CASTELLAN_SYSTEMD_UNIT_DIR";
    static final String SYSTEMCTL_ENV = "CASTELLAN_SYSTEMCTL";
    static final String UNIT = ServiceSpec.SERVICE_NAME + ".service";
    /** sd_booted(3): this directory exists exactly when systemd is the running init. */
    static final Path SYSTEMD_RUNNING = Path.of("/run/systemd/system");
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private final Path unitDir;
    private final Path systemdRunning;
    private final Map<String, String> env;

    /**
     * @param env where {@code PATH} is searched for systemctl ({@code CASTELLAN_SYSTEMCTL} overrides)
     *     and {@code CASTELLAN_SYSTEMD_UNIT_DIR} overrides {@code /etc/systemd/system}
     */
    SystemdServiceInstaller(Map<String, String> env) {
        this(Path.of(env.getOrDefault(UNIT_DIR_ENV, "/etc/systemd/system")), SYSTEMD_RUNNING, env);
    }

    SystemdServiceInstaller(Path unitDir, Path systemdRunning, Map<String, String> env) {
        this.unitDir = unitDir;
        this.systemdRunning = systemdRunning;
        this.env = env;
    }

    Path unitFile() {
        return unitDir.resolve(UNIT);
    }

    @Override
    public void checkCanInstall(ServiceSpec spec) throws PlatformException {
        requireSystemd();
        systemctl();
        HiddenPaths.requireVisible(spec);
    }

    @Override
    public void install(ServiceSpec spec) throws PlatformException {
        checkCanInstall(spec);
        String systemctl = systemctl();
        String text = SystemdUnit.render(spec);
        Optional<byte[]> previous = readPrevious();
        try {
            writeUnit(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            PlatformException failure = new PlatformException("service-install-failed", "write " + unitFile() + ": "
                    + e.getMessage(), e);
            try {
                Files.deleteIfExists(tempFile());
            } catch (IOException cleanup) {
                failure.addSuppressed(cleanup);
            }
            throw failure;
        }
        boolean enabling = false;
        try {
            systemctl(systemctl, "service-install-failed", "daemon-reload");
            enabling = true;
            systemctl(systemctl, "service-install-failed", "enable", UNIT);
            // restart, not start: an agent already running keeps its old unit's settings until then.
            systemctl(systemctl, "service-install-failed", "restart", UNIT);
        } catch (PlatformException e) {
            undo(systemctl, previous, enabling, e);
            throw e;
        }
    }

    /**
     * Takes a failed install back: the unit is stopped and disabled if enabling got that far, the
     * file it replaced (or none) is put back, systemd forgets the new one, and a replaced unit is
     * enabled and started again. What cannot be
     * undone is added to the failure, never thrown instead of it.
     */
    private void undo(String systemctl, Optional<byte[]> previous, boolean enabling, PlatformException failure) {
        if (enabling) {
            try {
                systemctl(systemctl, "service-install-failed", "disable", "--now", UNIT);
            } catch (PlatformException e) {
                failure.addSuppressed(e);
            }
        }
        try {
            if (previous.isPresent()) {
                writeUnit(previous.get());
            } else {
                Files.deleteIfExists(unitFile());
            }
            Files.deleteIfExists(tempFile());
        } catch (IOException e) {
            failure.addSuppressed(new IOException("restore " + unitFile() + ": " + e.getMessage(), e));
        }
        try {
            systemctl(systemctl, "service-install-failed", "daemon-reload");
            if (enabling && previous.isPresent()) {
                systemctl(systemctl, "service-install-failed", "enable", "--now", UNIT);
            }
        } catch (PlatformException e) {
            failure.addSuppressed(e);
        }
    }

    @Override
    public void uninstall() throws PlatformException {
        String systemctl = systemctl();
        boolean existed = Files.exists(unitFile());
        if (!existed) {
            throw new PlatformException("service-not-installed", "no " + unitFile() + "; nothing to uninstall");
        }
        systemctl(systemctl, "service-uninstall-failed", "disable", "--now", UNIT);
        try {
            Files.delete(unitFile());
        } catch (IOException e) {
            throw new PlatformException("service-uninstall-failed", "remove " + unitFile() + ": " + e.getMessage(), e);
        }
        systemctl(systemctl, "service-uninstall-failed", "daemon-reload");
    }

    @Override
    public String status() throws PlatformException {
        if (!Files.exists(unitFile())) {
            return "not installed";
        }
        ProcessRunner.Result result;
        try {
            result = ProcessRunner.run(List.of(systemctl(), "is-active", UNIT), null, TIMEOUT);
        } catch (IOException e) {
            throw new PlatformException("service-status-failed", "systemctl is-active: " + e.getMessage(), e);
        }
        return "installed (" + unitFile() + "), " + ProcessRunner.oneLine(result.output());
    }

    private void requireSystemd() throws PlatformException {
        if (!Files.isDirectory(systemdRunning)) {
            throw new PlatformException("systemd-missing", "systemd is not running here (no " + systemdRunning
                    + "), so there is nothing to install a unit into; run 'castellan-agent run' under this"
                    + " system's service manager instead");
        }
    }

    private Optional<byte[]> readPrevious() throws PlatformException {
        try {
            return Files.isRegularFile(unitFile()) ? Optional.of(Files.readAllBytes(unitFile())) : Optional.empty();
        } catch (IOException e) {
            throw new PlatformException("service-install-failed", "read the existing " + unitFile() + ": "
                    + e.getMessage(), e);
        }
    }

    private Path tempFile() {
        return unitDir.resolve("." + UNIT + ".tmp");
    }

    private void writeUnit(byte[] text) throws IOException {
        Files.createDirectories(unitDir);
        Path temp = tempFile();
        Files.deleteIfExists(temp);
        try (FileChannel channel = FileChannel.open(temp, java.util.Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")))) {
            channel.write(java.nio.ByteBuffer.wrap(text));
            channel.force(true);
        }
        Files.move(temp, unitFile(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private String systemctl() throws PlatformException {
        String override = env.get(SYSTEMCTL_ENV);
        if (override != null && !override.isBlank()) {
            return override.strip();
        }
        try {
            return ProcessRunner.which("systemctl", env.getOrDefault("PATH", ProcessRunner.CLEAN_ENV.get("PATH"))).toString();
        } catch (IOException e) {
            throw new PlatformException("systemd-missing", "systemctl not found (is this a systemd system?): "
                    + e.getMessage());
        }
    }

    private void systemctl(String systemctl, String code, String... args) throws PlatformException {
        List<String> command = new ArrayList<>();
        command.add(systemctl);
        command.addAll(List.of(args));
        ProcessRunner.Result result;
        try {
            result = ProcessRunner.run(command, null, TIMEOUT);
        } catch (IOException e) {
            throw new PlatformException(code, "systemctl " + String.join(" ", args) + ": " + e.getMessage(), e);
        }
        if (result.exitCode() != 0) {
            throw new PlatformException(code, "systemctl " + String.join(" ", args) + " exited with status "
                    + result.exitCode() + ": " + ProcessRunner.oneLine(result.output()));
        }
    }
}
