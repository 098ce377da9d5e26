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
import org.castellan.agent.fake.SecretScan;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeedPasswordCommandTest {
    @TempDir
    Path tmp;
    Path state;
    FakePlatform platform;
    FakeServer server;
    ByteArrayOutputStream out;
    ByteArrayOutputStream err;

    @BeforeEach
    void setUp() {
        state = tmp.resolve("state");
        platform = new FakePlatform(tmp.resolve("default-state"));
        server = new FakeServer("device-7");
        Map<String, String> env = new HashMap<>();
        env.put(EnvVars.REGISTRATION_KEY, "reg-key-0123456789");
        assertThat(run(env, new byte[0], "register", "--server", "https://castellan.test:8443", "--state-dir",
                state.toString())).isZero();
    }

    private int run(Map<String, String> env, byte[] stdin, String... args) {
        out = new ByteArrayOutputStream();
        err = new ByteArrayOutputStream();
        AgentContext context = new AgentContext(() -> platform, env, new ByteArrayInputStream(stdin),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Clock.systemUTC(), new SecureRandom(), (url, fingerprint, key, deviceId) -> server);
        return AgentMain.run(context, args);
    }

    private int seed(String stdin) {
        return run(Map.of(), stdin.getBytes(StandardCharsets.UTF_8), "seed-password", "--state-dir", state.toString());
    }

    @Test
    void passwordFromStdinReachesThePlatformWithoutItsTrailingNewline() {
        platform.accounts.seedSupported = true;

        assertThat(seed("  Current Pass w/ spaces \n")).as(err.toString()).isZero();

        assertThat(platform.accounts.seeded).isEqualTo("  Current Pass w/ spaces ");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("current password of account root verified and stored")
                .doesNotContain("Current Pass");
        assertThat(platform.securedDirs).contains(state);
        assertThat(SecretScan.filesContaining(tmp, "Current Pass w/ spaces")).isEmpty();
    }

    @Test
    void aPlatformThatDoesNotNeedItSaysUnsupported() {
        assertThat(seed("Current-Pass-1\n")).isEqualTo(AgentMain.FAILED);

        assertThat(err.toString(StandardCharsets.UTF_8)).contains("seed current password of account root: unsupported")
                .doesNotContain("Current-Pass-1");
    }

    @Test
    void emptyStdinIsAUsageErrorAndThePasswordIsNeverAnOption() {
        platform.accounts.seedSupported = true;

        assertThat(seed("\n")).isEqualTo(AgentMain.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no password on stdin");
        assertThat(run(Map.of(), new byte[0], "seed-password", "--password", "x", "--state-dir", state.toString()))
                .isEqualTo(AgentMain.USAGE);
        assertThat(platform.accounts.seeded).isNull();
    }
}
