package org.castellan.agent.macos;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.castellan.agent.macos.account.MacThrowawayAccounts;
import org.castellan.agent.macos.parse.IoregPlatform;
import org.castellan.agent.spi.DiagnosticCheck;
import org.castellan.agent.spi.MachineIdentity;
import org.castellan.agent.spi.ThrowawayAccounts;
import org.castellan.agent.macos.account.CurrentPasswordStore;
import org.castellan.agent.macos.account.MacAccountManager;
import org.castellan.agent.macos.filevault.FileVaultRecoveryKeys;
import org.castellan.agent.macos.store.SealedSecretFiles;
import org.castellan.agent.macos.parse.ProductVersion;
import org.castellan.agent.macos.parse.UnexpectedOutputException;
import org.castellan.agent.macos.process.CommandException;
import org.castellan.agent.macos.process.CommandResult;
import org.castellan.agent.macos.process.CommandRunner;
import org.castellan.agent.macos.process.MacTools;
import org.castellan.agent.macos.process.ProcessCommandRunner;
import org.castellan.agent.macos.service.LaunchdPaths;
import org.castellan.agent.macos.service.LaunchdServiceInstaller;
import org.castellan.agent.macos.service.PathOwnership;
import org.castellan.agent.macos.service.PosixPathOwnership;
import org.castellan.agent.spi.AccountManager;
import org.castellan.agent.spi.FileKeyProtector;
import org.castellan.agent.spi.KeyProtector;
import org.castellan.agent.spi.OsInfo;
import org.castellan.agent.spi.Platform;
import org.castellan.agent.spi.PlatformException;
import org.castellan.agent.spi.RecoveryKeySource;
import org.castellan.agent.spi.ServiceInstaller;
import org.castellan.protocol.Secret;

/** macOS: dscl/sysadminctl/dseditgroup for the account, launchd for the service, 0600 files for keys. */
public final class MacPlatform implements Platform {
    public static final Path DEFAULT_STATE_DIR = Path.of("/Library/Application Support/Castellan");

    private final CommandRunner runner;
    private final MacTools tools;
    private final KeyProtector keyProtector = new FileKeyProtector();
    /**
     * The state directory in use: agent-core hands it to {@link #useStateDir} before anything else
     * (and again to {@link #secureStateDir}); every file of ours there follows it.
     */
    private volatile Path stateDir = DEFAULT_STATE_DIR;
    private final MacAccountManager accounts;
    private final LaunchdServiceInstaller serviceInstaller;
    private final FileVaultRecoveryKeys recoveryKeys;
    private final CurrentPasswordStore store;

    public MacPlatform() {
        this(new ProcessCommandRunner(), MacTools.defaults(), LaunchdPaths.defaults(), new PosixPathOwnership(), Path.of("/Users"));
    }

    public MacPlatform(CommandRunner runner, MacTools tools, LaunchdPaths launchd,
            PathOwnership ownership, Path usersRoot) {
        this.runner = runner;
        this.tools = tools;
        SealedSecretFiles secrets = new SealedSecretFiles(() -> stateDir, keyProtector);
        CurrentPasswordStore store = new CurrentPasswordStore(secrets);
        this.store = store;
        this.accounts = new MacAccountManager(runner, tools, store, usersRoot);
        this.serviceInstaller = new LaunchdServiceInstaller(runner, tools, launchd, ownership);
        this.recoveryKeys = new FileVaultRecoveryKeys(runner, tools, secrets, store, accounts::lastResolvedAccount);
    }

    @Override
    public String os() {
        return "macos";
    }

    @Override
    public OsInfo osInfo() {
        return new OsInfo(hostname(), osVersion());
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
        return keyProtector;
    }

    @Override
    public void useStateDir(Path dir) {
        stateDir = dir;
    }

    @Override
    public void secureStateDir(Path dir) throws PlatformException {
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException | UnsupportedOperationException e) {
            throw new PlatformException("state-dir-insecure", "restrict state directory " + dir + " to 0700: " + e.getMessage(), e);
        }
        stateDir = dir;
    }

    @Override
    public ServiceInstaller serviceInstaller() {
        return serviceInstaller;
    }

    @Override
    public RecoveryKeySource recoveryKeys() {
        return recoveryKeys;
    }

    /** The hardware UUID ({@code ioreg -rd1 -c IOPlatformExpertDevice}); unknown when ioreg says nothing usable. */
    /** Membership of the admin group through dseditgroup ({@link org.castellan.agent.macos.jit.MacAdminRights}). */
    @Override
    public org.castellan.agent.spi.AdminRights adminRights() {
        return new org.castellan.agent.macos.jit.MacAdminRights(runner, tools);
    }

    @Override
    public MachineIdentity machineIdentity() {
        try {
            CommandResult result = runner.run(List.of(tools.ioreg(), "-rd1", "-c", "IOPlatformExpertDevice"));
            if (result.succeeded()) {
                return IoregPlatform.platformUuid(result.stdout())
                        .map(uuid -> new MachineIdentity(Map.of("IOPlatformUUID", uuid)))
                        .orElse(MachineIdentity.UNKNOWN);
            }
        } catch (CommandException e) {
            // Reported by diagnose; clone detection is off while ioreg cannot run.
        }
        return MachineIdentity.UNKNOWN;
    }

    @Override
    public ThrowawayAccounts throwawayAccounts() {
        return new MacThrowawayAccounts(runner, tools, store);
    }

    @Override
    public List<DiagnosticCheck> diagnostics(Path stateDir) {
        return new MacDiagnostics(runner, tools).checks(stateDir, machineIdentity());
    }

    /**
     * Tells the agent the managed account's current password, so that it can change a SecureToken
     * account's password with it (clears {@code needs-first-password}). The password is verified
     * against the directory before it is stored. {@code castellan-agent seed-password} reaches the
     * same code through {@link org.castellan.agent.spi.AccountManager#seedCurrentPassword}.
     */
    public void seedCurrentPassword(String account, Secret currentPassword) throws PlatformException {
        accounts.seedCurrentPassword(account, currentPassword);
    }

    private String hostname() {
        String name = firstLine(tools.scutil(), "--get", "LocalHostName");
        if (name != null && name.matches("[A-Za-z0-9._-]{1,253}")) {
            return name;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }

    private String osVersion() {
        String output = firstLine(tools.swVers(), "-productVersion");
        if (output != null) {
            try {
                return ProductVersion.parse(output);
            } catch (UnexpectedOutputException e) {
                // Fall back to what the JVM reports.
            }
        }
        return System.getProperty("os.version", "unknown");
    }

    /** osInfo() cannot throw, so a failing tool yields null and the caller falls back. */
    private String firstLine(String... argv) {
        try {
            CommandResult result = runner.run(List.of(argv));
            if (!result.succeeded()) {
                return null;
            }
            String out = result.stdout().strip();
            int newline = out.indexOf('\n');
            return newline < 0 ? out : out.substring(0, newline).strip();
        } catch (CommandException e) {
            return null;
        }
    }
}
