package org.castellan.agent.selftest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.castellan.agent.fake.FakePlatform;
import org.castellan.agent.fake.SecretScan;
import org.castellan.agent.fake.SimulatedCrash;
import org.castellan.agent.spi.DiagnosticCheck;
import org.castellan.agent.spi.PlatformException;
import org.castellan.agent.state.StateDir;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The selftest's sequence and its clean-up, against the core fakes (the platforms test their own calls). */
class SelfTestTest {
    @TempDir
    Path tmp;
    FakePlatform platform;
    StateDir dir;
    List<DiagnosticCheck> reported;

    @BeforeEach
    void setUp() throws Exception {
        platform = new FakePlatform(tmp);
        dir = new StateDir(tmp.resolve("state"));
        dir.create();
        reported = new ArrayList<>();
    }

    private List<DiagnosticCheck> run() throws Exception {
        reported.clear();
        return new SelfTest(platform, dir, Clock.systemUTC(), new SecureRandom(), reported::add).run();
    }

    private static List<String> names(List<DiagnosticCheck> steps) {
        return steps.stream().map(s -> s.status().label() + " " + s.name()).toList();
    }

    @Test
    void selftestCreatesSetsProvesTwiceAndDeletesTheAccount() throws Exception {
        List<DiagnosticCheck> steps = run();

        assertThat(names(steps)).containsExactly("ok clean-up", "ok key-protection", "ok create-account",
                "ok set-first-password", "ok prove-first-password", "ok set-second-password", "ok prove-second-password",
                "ok delete-account");
        assertThat(reported).isEqualTo(steps);
        assertThat(SelfTest.passed(steps)).isTrue();
        assertThat(platform.accounts.setCalls).isEqualTo(2);
        // Each password proven, and each time a wrong one (then the previous one) refused.
        assertThat(platform.accounts.checks).containsExactly("proven", "failed", "proven", "failed");
        assertThat(platform.throwaway.existing).isEmpty();
        assertThat(platform.throwaway.calls.get(0)).startsWith("create " + SelfTest.NAME_PREFIX);
        assertThat(dir.exists(SelfTestRecord.FILE)).isFalse();
        assertThat(SecretScan.filesContaining(tmp, platform.accounts.passwordsSeen.get(0))).isEmpty();
        assertThat(SecretScan.filesContaining(tmp, platform.accounts.passwordsSeen.get(1))).isEmpty();
    }

    @Test
    void selftestKilledAfterCreatingTheAccountIsCleanedUpByTheNextRun() throws Exception {
        platform.throwaway.crashAfterCreate = true;
        assertThatThrownBy(this::run).isInstanceOf(SimulatedCrash.class);
        String left = platform.throwaway.existing.get(0);
        assertThat(dir.exists(SelfTestRecord.FILE)).as("recorded before it was created").isTrue();
        platform.throwaway.restart();

        List<DiagnosticCheck> steps = run();

        assertThat(steps.get(0).name()).isEqualTo("clean-up");
        assertThat(steps.get(0).detail()).contains("deleted the throwaway account " + left);
        assertThat(SelfTest.passed(steps)).isTrue();
        assertThat(platform.throwaway.existing).isEmpty();
        assertThat(platform.throwaway.calls).startsWith("create " + left, "delete " + left);
    }

    @Test
    void aCheckThatAcceptsEveryPasswordFailsTheSelftest() throws Exception {
        platform.accounts.acceptsAnyPassword = true;

        List<DiagnosticCheck> steps = run();

        assertThat(SelfTest.passed(steps)).isFalse();
        assertThat(steps).anySatisfy(s -> {
            assertThat(s.name()).isEqualTo("prove-first-password");
            assertThat(s.detail()).contains("also accepts a wrong password");
        });
        assertThat(platform.throwaway.existing).as("deleted even after a failed step").isEmpty();
    }

    @Test
    void failedSetIsReportedAndTheAccountIsStillDeleted() throws Exception {
        platform.accounts.setFailure = new PlatformException("set-password-failed", "chpasswd exited with status 1");

        List<DiagnosticCheck> steps = run();

        assertThat(names(steps)).containsSubsequence("fail set-first-password", "ok delete-account");
        assertThat(SelfTest.passed(steps)).isFalse();
        assertThat(platform.throwaway.existing).isEmpty();
    }

    @Test
    void accountThatCannotBeDeletedKeepsTheRecordSoTheNextRunRetries() throws Exception {
        platform.throwaway.deleteFailure = new PlatformException("account-delete-failed", "userdel exited with status 8");

        List<DiagnosticCheck> steps = run();

        assertThat(names(steps)).endsWith("fail delete-account");
        assertThat(dir.exists(SelfTestRecord.FILE)).isTrue();
        platform.throwaway.deleteFailure = null;
        assertThat(run().get(0).detail()).contains("deleted the throwaway account");
        assertThat(platform.throwaway.existing).isEmpty();
    }
}
