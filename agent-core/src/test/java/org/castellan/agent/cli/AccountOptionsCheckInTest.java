package org.castellan.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.castellan.agent.config.EnvVars;
import org.castellan.agent.fake.FakePlatform;
import org.castellan.agent.fake.FakeServer;
import org.castellan.protocol.messages.AccountOptions;
import org.castellan.protocol.messages.AgentPolicy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The policy's account options reach the platform's account manager at check-in, options the
 * platform does not carry out are reported, and every command tells the platform its state dir.
 */
class AccountOptionsCheckInTest {
    private static final AccountOptions ALL_ON = new AccountOptions(true, true, true, true);

    @TempDir
    Path tmp;
    Path state;
    FakePlatform platform;
    FakeServer server;
    Map<String, String> env;
    ByteArrayOutputStream err;

    @BeforeEach
    void setUp() {
        state = tmp.resolve("custom-state");
        platform = new FakePlatform(tmp.resolve("default-state"));
        server = new FakeServer("device-42");
        env = new HashMap<>();
    }

    private int run(String... args) {
        err = new ByteArrayOutputStream();
        AgentContext context = new AgentContext(() -> platform, env, new ByteArrayInputStream(new byte[0]),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Clock.systemUTC(), new SecureRandom(),
                (url, fingerprint, key, deviceId) -> server);
        return AgentMain.run(context, args);
    }

    private int register() {
        env.put(EnvVars.REGISTRATION_KEY, "reg-key-0123456789");
        return run("register", "--server", "https://castellan.test:8443", "--server-fingerprint", "ab".repeat(32),
                "--state-dir", state.toString());
    }

    @Test
    void checkInResolvesTheAccountWithTheOptionsOfThePolicyTheServerSent() {
        server.policy = new AgentPolicy("", 20, "full", 0, false, 30, 3600, new AccountOptions(true, true, false, false));
        assertThat(register()).isZero();

        assertThat(run("check-in", "--state-dir", state.toString())).as(err.toString(StandardCharsets.UTF_8)).isZero();

        // First the stored policy (from registration) for the report, then the check-in's policy to rotate.
        assertThat(platform.accounts.optionsSeen).isNotEmpty()
                .allSatisfy(options -> assertThat(options).isEqualTo(new AccountOptions(true, true, false, false)));
    }

    @Test
    void optionsChangedOnTheServerApplyToTheRotationOfThatSameCheckIn() {
        assertThat(register()).isZero();
        server.policy = new AgentPolicy("", 20, "full", 0, false, 30, 3600, ALL_ON);

        assertThat(run("check-in", "--state-dir", state.toString())).isZero();

        assertThat(platform.accounts.optionsSeen).first().isEqualTo(AccountOptions.NONE);
        assertThat(platform.accounts.optionsSeen).last().isEqualTo(ALL_ON);
    }

    @Test
    void optionsThePlatformIgnoresAreReportedAsWarnings() {
        // FakeAccounts keeps the SPI's default: it carries out no option, like the Linux agent.
        server.policy = new AgentPolicy("", 20, "full", 0, false, 30, 3600, new AccountOptions(false, true, false, true));
        assertThat(register()).isZero();

        assertThat(run("check-in", "--state-dir", state.toString())).isZero();

        assertThat(server.checkIns.get(0).warnings()).containsExactly("account-option-ignored:ensureAdmin");
        // Nothing changed during the cycle: no second check-in (which would drop the warning again).
        assertThat(server.checkIns).hasSize(1);
    }

    @Test
    void policyWithoutOptionsRaisesNoWarning() {
        assertThat(register()).isZero();

        assertThat(run("check-in", "--state-dir", state.toString())).isZero();

        assertThat(server.checkIns).allSatisfy(c -> assertThat(c.warnings()).isEmpty());
    }

    @Test
    void everyCommandTellsThePlatformTheStateDirItUses() {
        assertThat(register()).isZero();
        assertThat(platform.usedStateDirs).containsOnly(state.toAbsolutePath());

        platform.usedStateDirs.clear();
        assertThat(run("check-in", "--state-dir", state.toString())).isZero();
        assertThat(run("status", "--state-dir", state.toString())).isZero();
        env.put(EnvVars.STATE_DIR, state.toString());
        assertThat(run("check-in")).isZero();

        assertThat(platform.usedStateDirs).isNotEmpty().containsOnly(state.toAbsolutePath());
        assertThat(platform.usedStateDirs).doesNotContain(platform.defaultStateDir());
    }
}
