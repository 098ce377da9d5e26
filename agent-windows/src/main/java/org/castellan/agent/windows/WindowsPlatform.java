package org.castellan.agent.windows;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.castellan.agent.spi.DiagnosticCheck;
import org.castellan.agent.spi.MachineIdentity;
import org.castellan.agent.spi.ThrowawayAccounts;
import org.castellan.agent.windows.account.WindowsThrowawayAccounts;
import org.castellan.agent.windows.proof.JnaIdentitySources;
import org.castellan.agent.windows.proof.JnaNativeFunctions;
import org.castellan.agent.windows.proof.WindowsDiagnostics;
import org.castellan.agent.windows.proof.WindowsMachineIdentity;
import java.util.function.Supplier;
import org.castellan.agent.spi.AccountManager;
import org.castellan.agent.spi.AgentService;
import org.castellan.agent.spi.KeyProtector;
import org.castellan.agent.spi.OsInfo;
import org.castellan.agent.spi.Platform;
import org.castellan.agent.spi.PlatformException;
import org.castellan.agent.spi.RecoveryKeySource;
import org.castellan.agent.spi.ServiceInstaller;
import org.castellan.agent.spi.ServiceSpec;
import org.castellan.agent.windows.account.JnaLocalAccounts;
import org.castellan.agent.windows.account.WindowsAccountManager;
import org.castellan.agent.windows.bitlocker.BitLockerRecoveryKeys;
import org.castellan.agent.windows.bitlocker.JnaBitLockerWmiSession;
import org.castellan.agent.windows.bitlocker.WmiBitLockerReader;
import org.castellan.agent.windows.keys.DpapiKeyProtector;
import org.castellan.agent.windows.keys.JnaDpapi;
import org.castellan.agent.windows.keys.StateDirSecurity;
import org.castellan.agent.windows.keys.WindowsFileSecurity;
import org.castellan.agent.windows.service.JnaServiceControlDispatcher;
import org.castellan.agent.windows.service.JnaServiceManager;
import org.castellan.agent.windows.service.ServiceLogging;
import org.castellan.agent.windows.service.WindowsServiceInstaller;
import org.castellan.agent.windows.service.WindowsServiceRunner;

/** Windows: wires the parts; {@link #create} picks the real (JNA) ones, tests pass fakes. */
public final class WindowsPlatform implements Platform {
    private final AccountManager accounts;
    private final KeyProtector keyProtector;
    private final StateDirSecurity stateDirSecurity;
    private final ServiceInstaller serviceInstaller;
    private final RecoveryKeySource recoveryKeys;
    private final WindowsServiceRunner serviceRunner;
    private final Supplier<OsInfo> osInfo;
    private final Path defaultStateDir;
    private final Proof proof;

    /**
     * The parts of selftest and diagnose: the throwaway accounts, the identity and the platform checks.
     */
    public record Proof(ThrowawayAccounts throwaway, Supplier<MachineIdentity> identity,
                        Function<Path, List<DiagnosticCheck>> diagnostics) {
        static final Proof NONE = new Proof(null, () -> MachineIdentity.UNKNOWN, dir -> List.of());
    }

    public WindowsPlatform(AccountManager accounts, KeyProtector keyProtector, StateDirSecurity stateDirSecurity,
            ServiceInstaller serviceInstaller, RecoveryKeySource recoveryKeys, WindowsServiceRunner serviceRunner,
            Supplier<OsInfo> osInfo, Path defaultStateDir) {
        this(accounts, keyProtector, stateDirSecurity, serviceInstaller, recoveryKeys, serviceRunner, osInfo,
                defaultStateDir, Proof.NONE);
    }

    public WindowsPlatform(AccountManager accounts, KeyProtector keyProtector, StateDirSecurity stateDirSecurity,
            ServiceInstaller serviceInstaller, RecoveryKeySource recoveryKeys, WindowsServiceRunner serviceRunner,
            Supplier<OsInfo> osInfo, Path defaultStateDir, Proof proof) {
        this.proof = proof;
        this.accounts = accounts;
        this.keyProtector = keyProtector;
        this.stateDirSecurity = stateDirSecurity;
        this.serviceInstaller = serviceInstaller;
        this.recoveryKeys = recoveryKeys;
        this.serviceRunner = serviceRunner;
        this.osInfo = osInfo;
        this.defaultStateDir = defaultStateDir;
    }

    /** The real platform. Loads no native library until a part is used. */
    public static WindowsPlatform create(Map<String, String> environment) {
        JnaLocalAccounts local = new JnaLocalAccounts();
        SecureRandom random = new SecureRandom();
        WindowsMachineIdentity identity = new WindowsMachineIdentity(new JnaIdentitySources());
        return new WindowsPlatform(
                new WindowsAccountManager(local, Clock.systemUTC(), random),
                new DpapiKeyProtector(new JnaDpapi()),
                new StateDirSecurity(new WindowsFileSecurity()),
                new WindowsServiceInstaller(new JnaServiceManager(), duration -> Thread.sleep(duration.toMillis())),
                new BitLockerRecoveryKeys(new WmiBitLockerReader(JnaBitLockerWmiSession::open)),
                new WindowsServiceRunner(new JnaServiceControlDispatcher()),
                new WindowsOsInfo(),
                Path.of(WindowsPaths.stateDir(environment)),
                new Proof(new WindowsThrowawayAccounts(local, random), identity,
                        new WindowsDiagnostics(new JnaNativeFunctions(), local, identity)::checks));
    }

    @Override
    public MachineIdentity machineIdentity() {
        return proof.identity().get();
    }

    @Override
    public ThrowawayAccounts throwawayAccounts() throws PlatformException {
        if (proof.throwaway() == null) {
            return Platform.super.throwawayAccounts();
        }
        return proof.throwaway();
    }

    @Override
    public List<DiagnosticCheck> diagnostics(Path stateDir) {
        return proof.diagnostics().apply(stateDir);
    }

    @Override
    public String os() {
        return "windows";
    }

    @Override
    public OsInfo osInfo() {
        return osInfo.get();
    }

    @Override
    public Path defaultStateDir() {
        return defaultStateDir;
    }

    /** Administrators-group membership by SID ({@link org.castellan.agent.windows.jit.WindowsAdminRights}). */
    @Override
    public org.castellan.agent.spi.AdminRights adminRights() {
        return new org.castellan.agent.windows.jit.WindowsAdminRights(new org.castellan.agent.windows.jit.JnaAdministratorsGroup());
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
    public void secureStateDir(Path stateDir) throws PlatformException {
        stateDirSecurity.secure(stateDir);
    }

    @Override
    public ServiceInstaller serviceInstaller() {
        return serviceInstaller;
    }

    @Override
    public RecoveryKeySource recoveryKeys() {
        return recoveryKeys;
    }

    /**
     * Under the service control manager: logs to {@code %ProgramData%\Castellan\logs} and reports
     * service states. Started from a console instead: runs in the foreground like other platforms.
     */
    @Override
    public void runAsService(AgentService service) throws Exception {
        boolean ranAsService = serviceRunner.run(ServiceSpec.SERVICE_NAME, service,
                () -> ServiceLogging.configure(defaultStateDir));
        if (!ranAsService) {
            Platform.super.runAsService(service);
        }
    }
}
