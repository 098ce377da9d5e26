package org.castellan.agent.linux;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.castellan.agent.spi.DiagnosticCheck;
import org.castellan.agent.spi.MachineIdentity;
import org.castellan.agent.spi.ThrowawayAccounts;
import org.castellan.agent.spi.AccountManager;
import org.castellan.agent.spi.FileKeyProtector;
import org.castellan.agent.spi.KeyProtector;
import org.castellan.agent.spi.LuksVolumes;
import org.castellan.agent.spi.OsInfo;
import org.castellan.agent.spi.Platform;
import org.castellan.agent.spi.PlatformException;
import org.castellan.agent.spi.ServiceInstaller;

/** Linux: /etc/passwd and chpasswd for accounts (checked with libcrypt), a 0600 key file, a systemd unit. */
public final class LinuxPlatform implements Platform {
    public static final Path DEFAULT_STATE_DIR = Path.of("/var/lib/castellan-agent");
    private static final Path[] OS_RELEASE = {Path.of("/etc/os-release"), Path.of("/usr/lib/os-release")};

    private final Map<String, String> env;
    private final LinuxAccountManager accounts;
    private final LinuxMachineIdentity identity = new LinuxMachineIdentity();

    public LinuxPlatform(Map<String, String> env) {
        this.env = env;
        this.accounts = new LinuxAccountManager(env);
    }

    /** LUKS2 volumes: lsblk and blkid to find them, cryptsetup for their key slots. */
    @Override
    public LuksVolumes luksVolumes() {
        return new LinuxLuksVolumes(env);
    }

    /** /etc/machine-id and the DMI product_uuid (see {@link LinuxMachineIdentity}). */
    /** A sudoers drop-in per user, with sudo's own NOTAFTER ({@link SudoersAdminRights}). */
    @Override
    public org.castellan.agent.spi.AdminRights adminRights() {
        return new SudoersAdminRights();
    }

    @Override
    public MachineIdentity machineIdentity() {
        return identity.read();
    }

    /** useradd / userdel; the password is then set with chpasswd like any rotation. */
    @Override
    public ThrowawayAccounts throwawayAccounts() {
        return new LinuxThrowawayAccounts(Path.of("/etc/passwd"));
    }

    @Override
    public List<DiagnosticCheck> diagnostics(Path stateDir) {
        return new LinuxDiagnostics(accounts.chpasswd(), new LibCrypt(), identity.read(), env).checks(stateDir);
    }

    @Override
    public String os() {
        return "linux";
    }

    @Override
    public OsInfo osInfo() {
        return new OsInfo(hostname(), osVersion());
    }

    static String hostname() {
        String name = null;
        try {
            name = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            // No /proc (an unusual container): ask the resolver instead.
        }
        if (name == null || name.isEmpty()) {
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                name = "localhost";
            }
        }
        return sanitizeHostname(name);
    }

    /** The server accepts 1–253 characters of {@code [A-Za-z0-9._-]}. */
    static String sanitizeHostname(String name) {
        String cleaned = name.replaceAll("[^A-Za-z0-9._-]", "-");
        if (cleaned.isEmpty()) {
            return "localhost";
        }
        return cleaned.length() > 253 ? cleaned.substring(0, 253) : cleaned;
    }

    static String osVersion() {
        for (Path file : OS_RELEASE) {
            try {
                return OsReleaseParser.prettyName(Files.readString(file, StandardCharsets.UTF_8));
            } catch (IOException e) {
                // Try the next location (os-release(5) names both).
            }
        }
        return "Linux " + System.getProperty("os.version", "");
    }

    @Override
    public Path defaultStateDir() {
        return DEFAULT_STATE_DIR;
    }

    @Override
    public AccountManager accounts() {
        return accounts;
    }

    @Override
    public KeyProtector keyProtector() {
        return new FileKeyProtector();
    }

    @Override
    public void secureStateDir(Path stateDir) throws PlatformException {
        try {
            Files.setPosixFilePermissions(stateDir, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException | UnsupportedOperationException e) {
            throw new PlatformException("state-dir-insecure", "make " + stateDir + " owner-only (0700): "
                    + e.getMessage(), e);
        }
    }

    @Override
    public ServiceInstaller serviceInstaller() {
        return new SystemdServiceInstaller(env);
    }
}
