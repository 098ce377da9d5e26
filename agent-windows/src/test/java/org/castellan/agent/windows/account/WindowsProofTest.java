package org.castellan.agent.windows.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.castellan.agent.selftest.SelfTest;
import org.castellan.agent.spi.DiagnosticCheck;
import org.castellan.agent.spi.KeyProtector;
import org.castellan.agent.spi.ManagedAccount;
import org.castellan.agent.spi.PasswordCheck;
import org.castellan.agent.spi.RecoveryKeySource;
import org.castellan.agent.spi.ServiceInstaller;
import org.castellan.agent.spi.ServiceSpec;
import org.castellan.agent.state.StateDir;
import org.castellan.agent.windows.WindowsPlatform;
import org.castellan.agent.windows.jna.NativePassword;
import org.castellan.agent.windows.jna.UserInfo1;
import org.castellan.agent.windows.jna.UserInfo1008;
import org.castellan.agent.windows.keys.StateDirSecurity;
import org.castellan.agent.windows.service.ServiceControlDispatcher;
import org.castellan.agent.windows.service.WindowsServiceRunner;
import org.castellan.agent.spi.MachineIdentity;
import org.castellan.agent.spi.OsInfo;
import org.castellan.protocol.Secret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Windows check before commit (a network LogonUser) and the Windows selftest sequence, against
 * the hand-written SAM fake: what has NOT run on a real Windows machine, pinned call by call.
 */
class WindowsProofTest {
    private static final int ENABLED = UserInfo1008.UF_SCRIPT | UserInfo1008.UF_NORMAL_ACCOUNT;

    @TempDir
    Path tmp;

    private final FakeLocalAccounts fake = new FakeLocalAccounts()
            .withUser("LocalBoss", 500, ENABLED, UserInfo1.USER_PRIV_ADMIN);
    private final WindowsAccountManager manager = new WindowsAccountManager(fake,
            Clock.fixed(Instant.parse("2026-11-22T01:00:00Z"), ZoneOffset.UTC), new SecureRandom());

    private PasswordCheck setThenCheck(String set, String checked) throws Exception {
        ManagedAccount boss = manager.resolve("");
        try (Secret password = Secret.of(set); Secret candidate = Secret.of(checked)) {
            manager.setPassword(boss, password);
            return manager.verifyPassword(boss, candidate);
        }
    }

    @Test
    void networkLogonWithTheNewPasswordProvesItAndTheNativeCopyIsWiped() throws Exception {
        PasswordCheck check = setThenCheck("New-Pass-4821-xyz", "New-Pass-4821-xyz");

        assertThat(check.proven()).isTrue();
        assertThat(check.detail()).contains("LogonUser (network logon) accepts it");
        assertThat(fake.calls).endsWith("NetUserSetInfo 1003 LocalBoss", "LogonUser network LocalBoss");
        assertThat(fake.passwordsSeen).allMatch(NativePassword::isClosed).allMatch(NativePassword::wasWipedOnClose);
    }

    @Test
    void networkLogonDeniedByPolicyAfterTheMatchCountsAsProof() throws Exception {
        fake.logonErrorWhenRight = LogonResults.ERROR_LOGON_TYPE_NOT_GRANTED;

        PasswordCheck check = setThenCheck("New-Pass-4821-xyz", "New-Pass-4821-xyz");

        assertThat(check.proven()).isTrue();
        assertThat(check.detail()).contains("1385");
    }

    @Test
    void wrongPasswordLockoutAndOtherErrorsAreNotProof() throws Exception {
        assertThat(setThenCheck("New-Pass-4821-xyz", "Old-Pass").proven()).isFalse();
        assertThat(setThenCheck("New-Pass-4821-xyz", "Old-Pass").detail()).contains("1326");
        assertThat(LogonResults.interpret(LogonResults.ERROR_ACCOUNT_LOCKED_OUT).proven()).isFalse();
        assertThat(LogonResults.interpret(LogonResults.ERROR_ACCOUNT_RESTRICTION).proven()).isFalse();
        assertThat(LogonResults.interpret(5).detail()).contains("Win32 error 5");
    }

    @Test
    void disabledBuiltInAdministratorIsProvenByTheRightPasswordOnly() throws Exception {
        fake.users.computeIfPresent("localboss", (k, u) -> new LocalUser(u.name(), u.sid(),
                u.flags() | UserInfo1008.UF_ACCOUNTDISABLE, u.privilege(), u.passwordAgeSeconds()));

        PasswordCheck right = setThenCheck("New-Pass-4821-xyz", "New-Pass-4821-xyz");
        PasswordCheck wrong = setThenCheck("New-Pass-4821-xyz", "Old-Pass");

        assertThat(right.proven()).isTrue();
        assertThat(right.detail()).contains("ERROR_ACCOUNT_DISABLED 1331", "only after the password matched");
        assertThat(wrong.proven()).isFalse();
    }

    @Test
    void selftestFailsWhereADisabledAccountIsRefusedBeforeItsPasswordIsLookedAt() throws Exception {
        fake.markerMovesOnSet = true;
        fake.disabledBeforePassword = true;
        StateDir dir = new StateDir(tmp.resolve("state"));
        dir.create();

        List<DiagnosticCheck> steps = new SelfTest(platform(new WindowsThrowawayAccounts(fake, new SecureRandom())), dir,
                Clock.systemUTC(), new SecureRandom(), s -> {}).run();

        assertThat(steps).filteredOn(s -> s.name().equals("disabled-account-check")).singleElement().satisfies(s -> {
            assertThat(s.status()).isEqualTo(DiagnosticCheck.Status.FAIL);
            assertThat(s.detail()).contains("does not tell them apart");
        });
        assertThat(SelfTest.passed(steps)).isFalse();
        assertThat(fake.calls).last().asString().startsWith("NetUserDel ");
    }

    @Test
    void windowsSelftestCreatesAStandardUserSetsAndProvesTwoPasswordsAndDeletesIt() throws Exception {
        fake.markerMovesOnSet = true;
        WindowsPlatform platform = platform(new WindowsThrowawayAccounts(fake, new SecureRandom()));
        StateDir dir = new StateDir(tmp.resolve("state"));
        dir.create();

        List<DiagnosticCheck> steps = new SelfTest(platform, dir, Clock.systemUTC(), new SecureRandom(), s -> {}).run();

        assertThat(steps).as(steps.toString()).allMatch(s -> s.status() == DiagnosticCheck.Status.OK);
        String name = fake.calls.stream().filter(c -> c.startsWith("NetUserAdd ")).findFirst().orElseThrow()
                .substring("NetUserAdd ".length());
        assertThat(name).startsWith("castellan-st-").hasSizeLessThanOrEqualTo(20);
        assertThat(fake.calls.stream().filter(c -> !c.startsWith("NetServerGetInfo")).toList()).containsExactly(
                "NetUserAdd " + name,
                "NetUserSetInfo 1003 " + name, "LogonUser network " + name, "LogonUser network " + name,
                "NetUserSetInfo 1003 " + name, "LogonUser network " + name, "LogonUser network " + name,
                "NetUserSetInfo 1008 " + name + " 203", "LogonUser network " + name, "LogonUser network " + name,
                "NetUserDel " + name);
        assertThat(steps).extracting(DiagnosticCheck::name).contains("disabled-account-check");
        assertThat(fake.calls).noneMatch(c -> c.startsWith("NetLocalGroupAddMembers"));
        assertThat(fake.users).doesNotContainKey(name);
        assertThat(fake.passwordsSeen).allMatch(NativePassword::isClosed);
    }

    @Test
    void throwawayNameThatExistsIsNeverAdopted() throws Exception {
        fake.withUser("castellan-st-abcdef", 1200, ENABLED, UserInfo1.USER_PRIV_USER);

        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                        new WindowsThrowawayAccounts(fake, new SecureRandom()).create("castellan-st-abcdef"))
                .hasMessageContaining("already exists");
        assertThat(fake.calls).noneMatch(c -> c.startsWith("NetUserAdd"));
    }

    private WindowsPlatform platform(WindowsThrowawayAccounts throwaway) {
        KeyProtector keys = new KeyProtector() {
            public String name() {
                return "test";
            }

            public byte[] seal(byte[] plaintext) {
                return plaintext.clone();
            }

            public byte[] unseal(byte[] sealed) {
                return sealed.clone();
            }
        };
        ServiceInstaller installer = new ServiceInstaller() {
            public void install(ServiceSpec spec) {}

            public void uninstall() {}

            public String status() {
                return "not installed";
            }
        };
        ServiceControlDispatcher none = new ServiceControlDispatcher() {
            public int runDispatcher(String serviceName, Runnable serviceMain) {
                return ERROR_FAILED_SERVICE_CONTROLLER_CONNECT;
            }

            public Object registerHandler(String serviceName, ControlHandler handler) {
                throw new AssertionError();
            }

            public void setStatus(Object handle, org.castellan.agent.windows.service.ServiceStatusValue status) {}
        };
        return new WindowsPlatform(manager, keys, new StateDirSecurity(null), installer, RecoveryKeySource.NONE,
                new WindowsServiceRunner(none), () -> new OsInfo("PC1", "Windows 11"), tmp,
                new WindowsPlatform.Proof(throwaway, () -> MachineIdentity.UNKNOWN, dir -> List.of()));
    }
}
