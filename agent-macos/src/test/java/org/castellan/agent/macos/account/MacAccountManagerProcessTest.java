package org.castellan.agent.macos.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.castellan.agent.macos.FakeMacTools;
import org.castellan.agent.spi.FileKeyProtector;
import org.castellan.agent.macos.TestResources;
import org.castellan.agent.macos.store.SealedSecretFiles;
import org.castellan.agent.macos.process.ProcessCommandRunner;
import org.castellan.agent.spi.ManagedAccount;
import org.castellan.agent.spi.PlatformException;
import org.castellan.protocol.Secret;
import org.castellan.protocol.messages.AccountOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Contract tests against fake dscl/dseditgroup/sysadminctl executables run by the real
 * ProcessBuilder runner: exact command sequences, and passwords only ever on stdin.
 */
class MacAccountManagerProcessTest {
    private static final String NAME = "castellan";
    private static final String RECORD = "/Users/" + NAME;
    private static final ManagedAccount ACCOUNT = new ManagedAccount(NAME, "499");
    private static final String NEW = "Fresh-Pass-4821-xyz";
    private static final String OLD = "Old-Pass-1193-abc";

    @TempDir
    Path temp;

    private FakeMacTools fake;
    private Path stateDir;
    private Path usersRoot;
    private CurrentPasswordStore store;

    @BeforeEach
    void setUp() throws Exception {
        fake = new FakeMacTools(temp.resolve("fake"));
        stateDir = Files.createDirectories(temp.resolve("state"));
        usersRoot = Files.createDirectories(temp.resolve("Users"));
        store = new CurrentPasswordStore(new SealedSecretFiles(() -> stateDir, new FileKeyProtector()));
    }

    private MacAccountManager manager() {
        return new MacAccountManager(new ProcessCommandRunner(), fake.tools(), store, usersRoot);
    }

    private void accountExists(String uid) {
        fake.respond("dscl", List.of(".", "-read", RECORD, "UniqueID"), "UniqueID: " + uid + "\n", "", 0);
    }

    private void accountIsAdmin() {
        fake.respond("dseditgroup", List.of("-o", "checkmember", "-m", NAME, "admin"), "yes " + NAME + " is a member of admin\n", "", 0);
    }

    private void secureToken(boolean enabled) {
        fake.respond("sysadminctl", List.of("-secureTokenStatus", NAME), "",
                "2024-05-02 10:11:12.345 sysadminctl[4242:987654] Secure token is " + (enabled ? "ENABLED" : "DISABLED")
                        + " for user " + NAME + "\n", 0);
    }

    private String stored() throws PlatformException {
        try (Secret secret = store.load(NAME).orElseThrow()) {
            return secret.reveal();
        }
    }

    private void assertNeverInArgv(String... secrets) {
        for (String secret : secrets) {
            assertThat(fake.argvLog()).doesNotContain(secret);
        }
    }

    @Test
    void resolvesAnAdminAccountToItsUid() throws Exception {
        accountExists("502");
        accountIsAdmin();

        ManagedAccount account = manager().resolve(NAME);

        assertThat(account).isEqualTo(new ManagedAccount(NAME, "502"));
        assertThat(fake.invocations()).containsExactly(
                List.of("dscl", ".", "-read", RECORD, "UniqueID"),
                List.of("dseditgroup", "-o", "checkmember", "-m", NAME, "admin"));
    }

    @Test
    void emptyPolicyAccountIsUnsupportedOnMacos() {
        assertThatThrownBy(() -> manager().resolve(""))
                .isInstanceOfSatisfying(PlatformException.class, e -> {
                    assertThat(e.code()).isEqualTo("account-unsupported");
                    assertThat(e.getMessage()).isEqualTo("set the policy's account for macOS devices");
                });
        assertThatThrownBy(() -> manager().resolve(null)).hasMessage("set the policy's account for macOS devices");
        assertThat(fake.invocations()).isEmpty();
    }

    @Test
    void accountNameThatCouldInjectIntoDsclIsRefusedWithoutRunningAnything() {
        assertThatThrownBy(() -> manager().resolve("bob\" \"x"))
                .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.code()).isEqualTo("account-unsupported"));
        assertThatThrownBy(() -> manager().resolve("../root"))
                .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.code()).isEqualTo("account-unsupported"));
        assertThat(fake.invocations()).isEmpty();
    }

    @Test
    void missingAccountFailsWithAccountMissingAndCreatesNothingByDefault() {
        fake.respond("dscl", List.of(".", "-read", RECORD, "UniqueID"), "",
                "<dscl_cmd> DS Error: -14136 (eDSRecordNotFound)\n", 56);

        assertThatThrownBy(() -> manager().resolve(NAME))
                .isInstanceOfSatisfying(PlatformException.class, e -> {
                    assertThat(e.code()).isEqualTo("account-missing");
                    assertThat(e.getMessage()).contains(NAME);
                });
        assertThat(fake.invocations()).containsExactly(List.of("dscl", ".", "-read", RECORD, "UniqueID"));
    }

    @Test
    void dsclLookupFailureOtherThanNotFoundIsNotMistakenForAMissingAccount() {
        fake.respond("dscl", List.of(".", "-read", RECORD, "UniqueID"), "",
                "<dscl_cmd> DS Error: -14087 (eDSPermissionError)\n", 167);

        assertThatThrownBy(() -> manager().resolve(NAME, new MacAccountOptions(true, false, false)))
                .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.code()).isEqualTo("account-lookup-failed"));
        assertThat(fake.invocations()).hasSize(1);
    }

    @Test
    void missingAccountIsCreatedHiddenAndAdminWhenEnabled() throws Exception {
        List<String> readUid = List.of(".", "-read", RECORD, "UniqueID");
        fake.onCall(1, "dscl", readUid, "", "<dscl_cmd> DS Error: -14136 (eDSRecordNotFound)\n", 56);
        fake.onCall(2, "dscl", readUid, "UniqueID: 498\n", "", 0);
        fake.respond("dscl", List.of(".", "-list", "/Users", "UniqueID"),
                "_amavisd                 83\n_www                     70\nroot                     0\nhidden1                  499\nalice                    501\n", "", 0);
        accountIsAdmin();

        ManagedAccount account = manager().resolve(NAME, new MacAccountOptions(true, false, false));

        assertThat(account).isEqualTo(new ManagedAccount(NAME, "498"));
        assertThat(fake.invocations()).containsExactly(
                List.of("dscl", ".", "-read", RECORD, "UniqueID"),
                List.of("dscl", ".", "-list", "/Users", "UniqueID"),
                List.of("dscl", "-q", "."),
                List.of("dseditgroup", "-o", "edit", "-a", NAME, "-t", "user", "admin"),
                List.of("dscl", ".", "-read", RECORD, "UniqueID"),
                List.of("dseditgroup", "-o", "checkmember", "-m", NAME, "admin"));
        assertThat(fake.stdinOf(3)).isEqualTo(
                "create \"/Users/castellan\"\n"
                        + "create \"/Users/castellan\" \"UniqueID\" \"498\"\n"
                        + "create \"/Users/castellan\" \"PrimaryGroupID\" \"20\"\n"
                        + "create \"/Users/castellan\" \"UserShell\" \"/bin/zsh\"\n"
                        + "create \"/Users/castellan\" \"RealName\" \"castellan\"\n"
                        + "create \"/Users/castellan\" \"NFSHomeDirectory\" \"/Users/castellan\"\n"
                        + "create \"/Users/castellan\" \"IsHidden\" \"1\"\n"
                        + "quit\n");
    }

    @Test
    void accountCreationStopsWhenDsclReportsAnError() {
        fake.respond("dscl", List.of(".", "-read", RECORD, "UniqueID"), "", "<dscl_cmd> DS Error: -14136 (eDSRecordNotFound)\n", 56);
        fake.respond("dscl", List.of(".", "-list", "/Users", "UniqueID"), "root 0\n", "", 0);
        fake.respond("dscl", List.of("-q", "."), "", "<main> attribute status: eDSPermissionError\n<dscl_cmd> DS Error: -14120 (eDSPermissionError)\n", 0);

        assertThatThrownBy(() -> manager().resolve(NAME, new MacAccountOptions(true, false, false)))
                .isInstanceOfSatisfying(PlatformException.class, e -> {
                    assertThat(e.code()).isEqualTo("account-create-failed");
                    assertThat(e.getMessage()).contains("eDSPermissionError");
                });
        assertThat(fake.invocations()).extracting(call -> call.get(0)).doesNotContain("dseditgroup");
    }

    @Test
    void accountOutsideTheAdminGroupIsRefused() {
        accountExists("501");
        fake.respond("dseditgroup", List.of("-o", "checkmember", "-m", NAME, "admin"),
                "no " + NAME + " is NOT a member of admin\n", "", 67);

        assertThatThrownBy(() -> manager().resolve(NAME))
                .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.code()).isEqualTo("account-not-admin"));
    }

    @Test
    void plainAccountIsResetWithTheNewPasswordOnStdinOnly() throws Exception {
        secureToken(false);

        try (Secret next = Secret.of(NEW)) {
            manager().setPassword(ACCOUNT, next);
        }

        assertThat(fake.invocations()).containsExactly(
                List.of("sysadminctl", "-secureTokenStatus", NAME),
                List.of("dscl", "-q", "."));
        assertThat(fake.stdinOf(2)).isEqualTo("passwd \"/Users/castellan\" \"" + NEW + "\"\nquit\n");
        assertNeverInArgv(NEW);
        assertThat(stored()).isEqualTo(NEW);
    }

    @Test
    void secureTokenAccountIsChangedWithTheStoredCurrentPassword() throws Exception {
        secureToken(true);
        store.save(NAME, Secret.of(OLD));

        try (Secret next = Secret.of(NEW)) {
            manager().setPassword(ACCOUNT, next);
        }

        assertThat(fake.invocations()).containsExactly(
                List.of("sysadminctl", "-secureTokenStatus", NAME),
                List.of("dscl", "-q", "."));
        assertThat(fake.stdinOf(2)).isEqualTo("passwd \"/Users/castellan\" \"" + OLD + "\" \"" + NEW + "\"\nquit\n");
        assertNeverInArgv(OLD, NEW);
        assertThat(stored()).isEqualTo(NEW);
    }

    @Test
    void secureTokenAccountWithUnknownPasswordIsNotResetAndAdminsAreWarned() {
        secureToken(true);
        MacAccountManager manager = manager();

        assertThatThrownBy(() -> manager.setPassword(ACCOUNT, Secret.of(NEW)))
                .isInstanceOfSatisfying(PlatformException.class, e -> {
                    assertThat(e.code()).isEqualTo("needs-first-password");
                    assertThat(e.getMessage()).doesNotContain(NEW);
                });
        assertThat(fake.invocations()).containsExactly(List.of("sysadminctl", "-secureTokenStatus", NAME));
        assertThat(manager.warnings(ACCOUNT)).containsExactly("needs-first-password");
        assertThat(store.has(NAME)).isFalse();
    }

    @Test
    void plainAccountWithUnknownPasswordHasNoWarning() {
        secureToken(false);

        assertThat(manager().warnings(ACCOUNT)).isEmpty();
    }

    @Test
    void dsclErrorOutputFailsTheSetEvenWithExitZeroAndKeepsTheStoredPassword() throws Exception {
        secureToken(true);
        store.save(NAME, Secret.of(OLD));
        fake.respond("dscl", List.of("-q", "."), "passwd: DS error: eDSAuthFailed\n",
                "<dscl_cmd> DS Error: -14090 (eDSAuthFailed)\n", 0);

        assertThatThrownBy(() -> manager().setPassword(ACCOUNT, Secret.of(NEW)))
                .isInstanceOfSatisfying(PlatformException.class, e -> {
                    assertThat(e.code()).isEqualTo("set-password-failed");
                    assertThat(e.getMessage()).contains("eDSAuthFailed").contains(NAME).doesNotContain(NEW).doesNotContain(OLD);
                });
        assertThat(stored()).isEqualTo(OLD);
        assertThat(store.hasPending(NAME)).isFalse();
        assertNeverInArgv(OLD, NEW);
    }

    @Test
    void newPasswordIsKeptAsPendingWhileDsclRunsAndPromotedAfter() throws Exception {
        secureToken(false);
        Path pending = stateDir.resolve("current-password-" + NAME + ".pending");
        Path seen = temp.resolve("seen-while-dscl-ran");
        // The fake dscl copies the pending file aside, to show it existed while dscl ran.
        fake.hook("dscl", List.of("-q", "."), "cp '" + pending + "' '" + seen + "'\n");

        manager().setPassword(ACCOUNT, Secret.of(NEW));

        assertThat(new String(new FileKeyProtector().unseal(Files.readAllBytes(seen)), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(NEW);
        assertThat(pending).doesNotExist();
        assertThat(stored()).isEqualTo(NEW);
    }

    @Test
    void passwordSetJustBeforeACrashIsRecoveredFromThePendingCopy() throws Exception {
        String mid = "Mid-Pass-5521-qrs";
        secureToken(true);
        store.save(NAME, Secret.of(OLD));
        store.savePending(NAME, Secret.of(mid)); // dscl had changed it to mid, then the agent died
        MacAccountManager manager = manager();

        manager.setPassword(ACCOUNT, Secret.of(NEW));

        assertThat(fake.invocations()).containsExactly(
                List.of("sysadminctl", "-secureTokenStatus", NAME),
                List.of("dscl", "-q", "."),
                List.of("dscl", "-q", "."));
        assertThat(fake.stdinOf(2)).isEqualTo("authonly \"castellan\" \"" + mid + "\"\nquit\n");
        assertThat(fake.stdinOf(3)).isEqualTo("passwd \"/Users/castellan\" \"" + mid + "\" \"" + NEW + "\"\nquit\n");
        assertThat(stored()).isEqualTo(NEW);
        assertThat(store.hasPending(NAME)).isFalse();
        assertNeverInArgv(OLD, mid, NEW);
    }

    @Test
    void pendingPasswordThatNeverTookEffectIsDropped() throws Exception {
        String never = "Never-Set-9090-zz";
        secureToken(true);
        store.save(NAME, Secret.of(OLD));
        store.savePending(NAME, Secret.of(never)); // the agent died before dscl ran
        fake.onCall(1, "dscl", List.of("-q", "."), "", "<dscl_cmd> DS Error: -14090 (eDSAuthFailed)\n", 0);
        fake.onCall(2, "dscl", List.of("-q", "."), "", "", 0);

        manager().setPassword(ACCOUNT, Secret.of(NEW));

        assertThat(fake.stdinOf(3)).isEqualTo("passwd \"/Users/castellan\" \"" + OLD + "\" \"" + NEW + "\"\nquit\n");
        assertThat(stored()).isEqualTo(NEW);
        assertThat(store.hasPending(NAME)).isFalse();
    }

    @Test
    void passwordQualityRejectionIsASetPasswordFailure() {
        secureToken(false);
        fake.respond("dscl", List.of("-q", "."), "",
                "<dscl_cmd> DS Error: -14165 (eDSAuthPasswordQualityCheckFailed)\n", 0);

        assertThatThrownBy(() -> manager().setPassword(ACCOUNT, Secret.of(NEW)))
                .isInstanceOfSatisfying(PlatformException.class, e -> {
                    assertThat(e.code()).isEqualTo("set-password-failed");
                    assertThat(e.getMessage()).contains("eDSAuthPasswordQualityCheckFailed");
                });
        assertThat(store.has(NAME)).isFalse();
    }

    @Test
    void errorLineQuotingThePasswordIsWithheldFromTheMessage() {
        secureToken(false);
        fake.respond("dscl", List.of("-q", "."), "", "passwd: DS error: bad value " + NEW + "\n", 0);

        assertThatThrownBy(() -> manager().setPassword(ACCOUNT, Secret.of(NEW)))
                .isInstanceOfSatisfying(PlatformException.class, e -> {
                    assertThat(e.code()).isEqualTo("set-password-failed");
                    assertThat(e.getMessage()).doesNotContain(NEW).contains("withheld");
                });
    }

    @Test
    void dsclThatCannotBeRunToTheEndKeepsThePendingCopyForLater() throws Exception {
        secureToken(false);
        MacAccountManager manager = new MacAccountManager((argv, stdin, env, timeout) -> {
            if (argv.contains("-q")) {
                throw new org.castellan.agent.macos.process.CommandException(argv.get(0) + " did not finish within 60s");
            }
            return new ProcessCommandRunner().run(argv, stdin, env, timeout);
        }, fake.tools(), store, usersRoot);

        assertThatThrownBy(() -> manager.setPassword(ACCOUNT, Secret.of(NEW)))
                .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.code()).isEqualTo("set-password-failed"));
        assertThat(store.hasPending(NAME)).isTrue();
        assertThat(store.has(NAME)).isFalse();
    }

    @Test
    void passwordThatChangedButCouldNotBeStoredIsNotAFailureButAWarning() throws Exception {
        secureToken(true);
        store.save(NAME, Secret.of(OLD));
        // While dscl runs, something blocks the store's temp file, so saving the new current password fails.
        fake.hook("dscl", List.of("-q", "."), "mkdir -p '" + stateDir.resolve("current-password-" + NAME + ".tmp/blocker") + "'\n");
        MacAccountManager manager = manager();

        manager.setPassword(ACCOUNT, Secret.of(NEW));

        assertThat(manager.warnings(ACCOUNT)).contains("current-password-unsaved");
        assertThat(store.has(NAME)).as("the stale current password is dropped").isFalse();
        try (Secret pending = store.loadPending(NAME).orElseThrow()) {
            assertThat(pending.reveal()).as("the new password is still known").isEqualTo(NEW);
        }
    }

    @Test
    void nonZeroDsclExitFailsTheSet() {
        secureToken(false);
        fake.respond("dscl", List.of("-q", "."), "", "", 70);

        assertThatThrownBy(() -> manager().setPassword(ACCOUNT, Secret.of(NEW)))
                .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.code()).isEqualTo("set-password-failed"));
    }

    @Test
    void passwordWithSpacesQuotesAndBackslashesIsEscapedForDscl() throws Exception {
        secureToken(false);
        String tricky = "pa ss\"w'o\\rd&<é>";

        manager().setPassword(ACCOUNT, Secret.of(tricky));

        assertThat(fake.stdinOf(2)).isEqualTo("passwd \"/Users/castellan\" \"pa ss\\\"w\\'o\\\\rd&<é>\"\nquit\n");
        assertThat(stored()).isEqualTo(tricky);
    }

    @Test
    void passwordDsclCannotCarryIsRefusedBeforeAnythingRuns() {
        for (String bad : List.of("\"leading-quote", "'leading", "\\leading", "line\nbreak", "")) {
            assertThatThrownBy(() -> manager().setPassword(ACCOUNT, Secret.of(bad)))
                    .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.code()).isEqualTo("set-password-failed"));
        }
        assertThat(fake.invocations()).isEmpty();
    }

    @Test
    void loginKeychainIsRemovedAfterAPlainResetOnlyWhenEnabled() throws Exception {
        Path keychain = Files.createDirectories(usersRoot.resolve(NAME).resolve("Library/Keychains")).resolve("login.keychain-db");
        Files.writeString(keychain, "old keychain");
        secureToken(false);

        accountExists("499");
        accountIsAdmin();
        MacAccountManager manager = manager();

        manager.resolve(NAME, new MacAccountOptions(false, false, false));
        manager.setPassword(ACCOUNT, Secret.of(NEW));
        assertThat(keychain).exists();

        manager.resolve(NAME, new MacAccountOptions(false, false, true));
        manager.setPassword(ACCOUNT, Secret.of(NEW + "2"));
        assertThat(keychain).doesNotExist();
    }

    @Test
    void loginKeychainIsKeptAfterAChangeWithTheCurrentPassword() throws Exception {
        Path keychain = Files.createDirectories(usersRoot.resolve(NAME).resolve("Library/Keychains")).resolve("login.keychain-db");
        Files.writeString(keychain, "keychain in sync");
        secureToken(true);
        store.save(NAME, Secret.of(OLD));
        accountExists("499");
        accountIsAdmin();
        MacAccountManager manager = manager();
        manager.resolve(NAME, new MacAccountOptions(false, false, true));

        manager.setPassword(ACCOUNT, Secret.of(NEW));

        assertThat(keychain).exists();
    }

    @Test
    void storedCurrentPasswordFileIsOwnerOnly() throws Exception {
        secureToken(false);

        manager().setPassword(ACCOUNT, Secret.of(NEW));

        Path file = stateDir.resolve("current-password-" + NAME);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void markerIsThePasswordLastSetTimeFromAccountPolicyData() throws Exception {
        fake.respond("dscl", List.of(".", "-read", RECORD, "accountPolicyData"),
                TestResources.text("outputs/account-policy/macos14.txt"), "", 0);

        assertThat(manager().passwordMarker(ACCOUNT)).isEqualTo("passwordLastSetTime:1709302467.123456");
        assertThat(fake.invocations()).containsExactly(List.of("dscl", ".", "-read", RECORD, "accountPolicyData"));
    }

    @Test
    void markerFallsBackToADigestOfShadowHashDataAndChangesWithIt() throws Exception {
        fake.respond("dscl", List.of(".", "-read", RECORD, "accountPolicyData"), "", "No such key: accountPolicyData\n", 181);
        fake.onCall(1, "dscl", List.of(".", "-read", RECORD, "ShadowHashData"),
                "dsAttrTypeNative:ShadowHashData:\n 62706c69 73743030 d101025d 53414c54\n", "", 0);
        fake.onCall(2, "dscl", List.of(".", "-read", RECORD, "ShadowHashData"),
                "dsAttrTypeNative:ShadowHashData:\n 62706c69 73743030 d101025d 99999999\n", "", 0);

        String first = manager().passwordMarker(ACCOUNT);
        String second = manager().passwordMarker(ACCOUNT);

        assertThat(first).startsWith("shadow-sha256:").hasSize("shadow-sha256:".length() + 64).doesNotContain("62706c69");
        assertThat(second).startsWith("shadow-sha256:").isNotEqualTo(first);
    }

    @Test
    void markerWithoutPolicyDataOrShadowHashIsAnError() {
        fake.respond("dscl", List.of(".", "-read", RECORD, "accountPolicyData"), "", "No such key: accountPolicyData\n", 181);
        fake.respond("dscl", List.of(".", "-read", RECORD, "ShadowHashData"), "", "No such key: ShadowHashData\n", 181);

        assertThatThrownBy(() -> manager().passwordMarker(ACCOUNT))
                .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.code()).isEqualTo("marker-unavailable"));
    }

    @Test
    void seededPasswordIsVerifiedWithAuthonlyOnStdinThenStored() throws Exception {
        secureToken(true);
        MacAccountManager manager = manager();
        assertThat(manager.warnings(ACCOUNT)).containsExactly("needs-first-password");

        manager.seedCurrentPassword(NAME, Secret.of(OLD));

        assertThat(fake.invocations()).contains(List.of("dscl", "-q", "."));
        int session = fake.invocations().indexOf(List.of("dscl", "-q", ".")) + 1;
        assertThat(fake.stdinOf(session)).isEqualTo("authonly \"castellan\" \"" + OLD + "\"\nquit\n");
        assertNeverInArgv(OLD);
        assertThat(stored()).isEqualTo(OLD);
        assertThat(manager.warnings(ACCOUNT)).isEmpty();
    }

    @Test
    void wrongSeededPasswordIsRejectedAndNotStored() {
        fake.respond("dscl", List.of("-q", "."), "", "<dscl_cmd> DS Error: -14090 (eDSAuthFailed)\n", 0);

        assertThatThrownBy(() -> manager().seedCurrentPassword(NAME, Secret.of(OLD)))
                .isInstanceOfSatisfying(PlatformException.class, e -> {
                    assertThat(e.code()).isEqualTo("seed-password-rejected");
                    assertThat(e.getMessage()).doesNotContain(OLD);
                });
        assertThat(store.has(NAME)).isFalse();
    }

    @Test
    void policyCreateAccountRunsTheCreationSequence() throws Exception {
        List<String> readUid = List.of(".", "-read", RECORD, "UniqueID");
        fake.onCall(1, "dscl", readUid, "", "<dscl_cmd> DS Error: -14136 (eDSRecordNotFound)\n", 56);
        fake.onCall(2, "dscl", readUid, "UniqueID: 499\n", "", 0);
        fake.respond("dscl", List.of(".", "-list", "/Users", "UniqueID"), "root 0\nalice 501\n", "", 0);
        accountIsAdmin();

        ManagedAccount account = manager().resolve(NAME, new AccountOptions(true, false, false, false));

        assertThat(account).isEqualTo(new ManagedAccount(NAME, "499"));
        assertThat(fake.invocations()).containsExactly(
                List.of("dscl", ".", "-read", RECORD, "UniqueID"),
                List.of("dscl", ".", "-list", "/Users", "UniqueID"),
                List.of("dscl", "-q", "."),
                List.of("dseditgroup", "-o", "edit", "-a", NAME, "-t", "user", "admin"),
                List.of("dscl", ".", "-read", RECORD, "UniqueID"),
                List.of("dseditgroup", "-o", "checkmember", "-m", NAME, "admin"));
        assertThat(fake.stdinOf(3)).contains("create \"/Users/castellan\" \"IsHidden\" \"1\"\n");
    }

    @Test
    void policyWithoutCreateAccountLeavesAMissingAccountMissing() {
        fake.respond("dscl", List.of(".", "-read", RECORD, "UniqueID"), "",
                "<dscl_cmd> DS Error: -14136 (eDSRecordNotFound)\n", 56);

        // Every other option on: only createAccount may create.
        assertThatThrownBy(() -> manager().resolve(NAME, new AccountOptions(false, true, true, true)))
                .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.code()).isEqualTo("account-missing"));
        assertThat(fake.invocations()).containsExactly(List.of("dscl", ".", "-read", RECORD, "UniqueID"));
    }

    @Test
    void policyEnsureAdminAddsAnExistingAccountToTheAdminGroup() throws Exception {
        accountExists("502");
        List<String> check = List.of("-o", "checkmember", "-m", NAME, "admin");
        fake.onCall(1, "dseditgroup", check, "no " + NAME + " is NOT a member of admin\n", "", 67);
        fake.onCall(2, "dseditgroup", check, "yes " + NAME + " is a member of admin\n", "", 0);

        ManagedAccount account = manager().resolve(NAME, new AccountOptions(false, true, false, false));

        assertThat(account).isEqualTo(new ManagedAccount(NAME, "502"));
        assertThat(fake.invocations()).containsExactly(
                List.of("dscl", ".", "-read", RECORD, "UniqueID"),
                List.of("dseditgroup", "-o", "checkmember", "-m", NAME, "admin"),
                List.of("dseditgroup", "-o", "edit", "-a", NAME, "-t", "user", "admin"),
                List.of("dseditgroup", "-o", "checkmember", "-m", NAME, "admin"));
    }

    @Test
    void policyWithoutEnsureAdminLeavesANonAdminRefusedAndUnchanged() {
        accountExists("502");
        fake.respond("dseditgroup", List.of("-o", "checkmember", "-m", NAME, "admin"),
                "no " + NAME + " is NOT a member of admin\n", "", 67);

        assertThatThrownBy(() -> manager().resolve(NAME, new AccountOptions(true, false, true, true)))
                .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.code()).isEqualTo("account-not-admin"));
        assertThat(fake.invocations()).noneMatch(call -> call.contains("edit"));
    }

    @Test
    void keychainRemovalFollowsThePolicyOfTheLatestResolve() throws Exception {
        Path keychain = Files.createDirectories(usersRoot.resolve(NAME).resolve("Library/Keychains")).resolve("login.keychain-db");
        accountExists("499");
        accountIsAdmin();
        secureToken(false);
        MacAccountManager manager = manager();

        manager.resolve(NAME, new AccountOptions(false, false, false, true));
        Files.writeString(keychain, "stale");
        manager.setPassword(ACCOUNT, Secret.of(NEW));
        assertThat(keychain).doesNotExist();

        // The policy turned it off again: the next reset keeps the keychain.
        manager.resolve(NAME, AccountOptions.NONE);
        Files.writeString(keychain, "stale again");
        manager.setPassword(ACCOUNT, Secret.of(NEW + "2"));
        assertThat(keychain).exists();
    }

    @Test
    void onlyEnableAccountIsReportedAsIgnoredOnMacos() {
        assertThat(manager().ignoredOptions(new AccountOptions(true, true, true, true)))
                .containsExactly("account-option-ignored:enableAccount");
        assertThat(manager().ignoredOptions(new AccountOptions(true, true, false, true))).isEmpty();
    }
}
