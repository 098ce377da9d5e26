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
import org.castellan.agent.spi.PlatformException;
import org.castellan.agent.spi.ServiceInstaller;
import org.castellan.agent.spi.ServiceSpec;

/** Installs the agent as {@code castellan-agent.service} and drives it with systemctl. */
final class SystemdServiceInstaller implements ServiceInstaller {
    static final String UNIT_DIR_ENV = "CASTELLAN_SYSTEMD_UNIT_DIR";
    static final String SYSTEMCTL_ENV = "CASTELLAN_SYSTEMCTL";
    static final String UNIT = ServiceSpec.SERVICE_NAME + ".service";
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private final Path unitDir;
    private final Map<String, String> env;

    /**
     * @param env where {@code PATH} is searched for systemctl ({@code CASTELLAN_SYSTEMCTL} overrides)
     *     and {@code CASTELLAN_SYSTEMD_UNIT_DIR} overrides {@code /etc/systemd/system}
     */
    SystemdServiceInstaller(Map<String, String> env) {
        this(Path.of(env.getOrDefault(UNIT_DIR_ENV, "/etc/systemd/system")), env);
    }

    SystemdServiceInstaller(Path unitDir, Map<String, String> env) {
        this.unitDir = unitDir;
        this.env = env;
    }

    Path unitFile() {
        return unitDir.resolve(UNIT);
    }

    @Override
    public void install(ServiceSpec spec) throws PlatformException {
        String systemctl = systemctl();
        try {
            writeUnit(SystemdUnit.render(spec));
        } catch (IOException e) {
            throw new PlatformException("service-install-failed", "write " + unitFile() + ": " + e.getMessage(), e);
        }
        systemctl(systemctl, "service-install-failed", "daemon-reload");
        systemctl(systemctl, "service-install-failed", "enable", "--now", UNIT);
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

    private void writeUnit(String text) throws IOException {
        Files.createDirectories(unitDir);
        Path temp = unitDir.resolve("." + UNIT + ".tmp");
        Files.deleteIfExists(temp);
        try (FileChannel channel = FileChannel.open(temp, java.util.Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")))) {
            channel.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
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
