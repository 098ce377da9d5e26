package org.castellan.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.castellan.server.testing.NoDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@NoDatabase("no database, no server: the same on either backend")
class ConfigResolverTest {
    @TempDir
    Path dir;

    @Test
    void defaultsApplyWhenNothingIsSet() {
        ServerConfig config = new ConfigResolver(Map.of()).resolve(null, null, null);
        assertThat(config.dataDir()).isEqualTo(Path.of("./castellan-data"));
        assertThat(config.listen()).isEqualTo(new ListenAddress("0.0.0.0", 8443));
    }

    @Test
    void flagBeatsEnvironmentWhichBeatsConfigFile() throws Exception {
        Path file = dir.resolve("server.json");
        Files.writeString(file, "{\"data\":\"/from-file\",\"listen\":\"127.0.0.1:1\"}");
        ConfigResolver resolver = new ConfigResolver(Map.of("CASTELLAN_CONFIG", file.toString(),
                "CASTELLAN_LISTEN", "127.0.0.1:2"));
        ServerConfig fromEnvAndFile = resolver.resolve(null, null, null);
        assertThat(fromEnvAndFile.dataDir()).isEqualTo(Path.of("/from-file"));
        assertThat(fromEnvAndFile.listen().port()).isEqualTo(2);
        assertThat(resolver.resolve("/flag", "[::1]:3", null).listen()).isEqualTo(new ListenAddress("::1", 3));
        assertThat(resolver.resolve("/flag", null, null).dataDir()).isEqualTo(Path.of("/flag"));
    }

    @Test
    void singleSignOnReadsItsClientSecretFromAPrivateFileOnly() throws Exception {
        Path secret = dir.resolve("oidc-secret");
        Files.writeString(secret, "s3cret-value\n");
        Files.setPosixFilePermissions(secret, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Path file = dir.resolve("server.json");
        Files.writeString(file, "{\"singleSignOn\":{\"issuer\":\"https://idp.example/realms/corp\","
                + "\"clientId\":\"castellan\",\"clientSecretFile\":\"" + secret + "\"}}");
        ConfigResolver resolver = new ConfigResolver(Map.of());
        org.castellan.server.sso.OidcSettings sso = resolver.singleSignOn(file.toString());
        assertThat(sso.issuer()).hasToString("https://idp.example/realms/corp");
        assertThat(sso.clientId()).isEqualTo("castellan");
        assertThat(sso.clientSecret()).isEqualTo("s3cret-value");
        assertThat(sso.groupsClaim()).isEqualTo("groups");
        assertThat(sso.toString()).doesNotContain("s3cret");
        assertThat(resolver.resolve(null, null, file.toString()).listen().port()).isEqualTo(8443);

        Files.setPosixFilePermissions(secret, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> resolver.singleSignOn(file.toString())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("client secret file");
        assertThat(resolver.singleSignOn(null)).isNull();
    }

    @Test
    void unknownConfigKeyIsRefused() throws Exception {
        Path file = dir.resolve("server.json");
        Files.writeString(file, "{\"lisen\":\"127.0.0.1:1\"}");
        assertThatThrownBy(() -> new ConfigResolver(Map.of()).resolve(null, null, file.toString()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lisen");
    }

    @Test
    void listenAddressesAreParsedStrictly() {
        assertThat(ListenAddress.parse("0.0.0.0:0").port()).isZero();
        assertThat(ListenAddress.parse("[::1]:8443").urlHost()).isEqualTo("[::1]");
        assertThatThrownBy(() -> ListenAddress.parse("8443")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ListenAddress.parse("::1:8443")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ListenAddress.parse("h:70000")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rateLimitsAndTrustedProxiesComeFromTheConfigFile() throws Exception {
        Path file = dir.resolve("server.json");
        Files.writeString(file, "{\"revealLimits\":\"3/minute,20/day\",\"registrationLimits\":\"2/5m\","
                + "\"trustedProxies\":[\"10.0.0.0/8\"]}");
        ServerConfig config = new ConfigResolver(Map.of()).resolve(null, null, file.toString());
        assertThat(config.limits().revealWindows()).containsExactly(
                org.castellan.server.ratelimit.RateWindow.perMinute(3), org.castellan.server.ratelimit.RateWindow.perDay(20));
        assertThat(config.limits().registrationWindows()).containsExactly(
                new org.castellan.server.ratelimit.RateWindow(2, java.time.Duration.ofMinutes(5)));
        assertThat(config.limits().trustedProxies()).containsExactly("10.0.0.0/8");
        assertThat(new ConfigResolver(Map.of()).resolve(null, null, null).limits().revealWindows())
                .hasSize(3).first().isEqualTo(org.castellan.server.ratelimit.RateWindow.perMinute(10));
    }

    @Test
    void badRateLimitOrProxyInTheConfigFileIsRefused() throws Exception {
        Path file = dir.resolve("server.json");
        Files.writeString(file, "{\"revealLimits\":\"ten per minute\"}");
        assertThatThrownBy(() -> new ConfigResolver(Map.of()).resolve(null, null, file.toString()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rate limit");
        Files.writeString(file, "{\"trustedProxies\":[\"10.0.0.0/99\"]}");
        assertThatThrownBy(() -> new ConfigResolver(Map.of()).resolve(null, null, file.toString()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deletedRetentionDefaultsToThirtyDaysAndComesFromFlagEnvironmentOrFile() throws Exception {
        assertThat(new ConfigResolver(Map.of()).resolve(null, null, null).deletedRetention())
                .isEqualTo(java.time.Duration.ofDays(30));
        Path file = dir.resolve("server.json");
        Files.writeString(file, "{\"deletedRetentionDays\":90}");
        ConfigResolver withFile = new ConfigResolver(Map.of("CASTELLAN_CONFIG", file.toString()));
        assertThat(withFile.resolve(null, null, null).deletedRetention()).isEqualTo(java.time.Duration.ofDays(90));
        ConfigResolver withEnv = new ConfigResolver(Map.of("CASTELLAN_CONFIG", file.toString(),
                "CASTELLAN_DELETED_RETENTION_DAYS", "60"));
        assertThat(withEnv.resolve(null, null, null).deletedRetention()).isEqualTo(java.time.Duration.ofDays(60));
        assertThat(withEnv.resolve(null, null, null, "7").deletedRetention()).isEqualTo(java.time.Duration.ofDays(7));
        for (String bad : new String[] {"0", "-1", "thirty", "36501"}) {
            assertThatThrownBy(() -> new ConfigResolver(Map.of()).resolve(null, null, null, bad))
                    .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--deleted-retention-days");
        }
    }

    @Test
    void consoleTimingsComeFromFlagEnvironmentOrFileAndBadOnesAreRefused() throws Exception {
        org.castellan.server.config.ConsoleSettings defaults = new ConfigResolver(Map.of()).console(null, null, null, null);
        assertThat(defaults.idle()).isEqualTo(java.time.Duration.ofMinutes(15));
        assertThat(defaults.absolute()).isEqualTo(java.time.Duration.ofHours(8));
        assertThat(defaults.hideSecretsAfter()).isEqualTo(java.time.Duration.ofSeconds(60));

        Path file = dir.resolve("server.json");
        Files.writeString(file, "{\"console\":{\"idleMinutes\":10,\"absoluteMinutes\":120,"
                + "\"hideSecretsAfterSeconds\":30}}");
        ConfigResolver withFile = new ConfigResolver(Map.of("CASTELLAN_CONFIG", file.toString()));
        org.castellan.server.config.ConsoleSettings fromFile = withFile.console(null, null, null, null);
        assertThat(fromFile.idle()).isEqualTo(java.time.Duration.ofMinutes(10));
        assertThat(fromFile.absolute()).isEqualTo(java.time.Duration.ofMinutes(120));
        assertThat(fromFile.hideSecretsAfter()).isEqualTo(java.time.Duration.ofSeconds(30));
        assertThat(withFile.resolve(null, null, null).listen().port()).as("the rest of the file still reads").isEqualTo(8443);

        ConfigResolver withEnv = new ConfigResolver(Map.of("CASTELLAN_CONFIG", file.toString(),
                "CASTELLAN_CONSOLE_IDLE_MINUTES", "5", "CASTELLAN_CONSOLE_HIDE_SECRETS_SECONDS", "0"));
        org.castellan.server.config.ConsoleSettings fromEnv = withEnv.console(null, null, null, null);
        assertThat(fromEnv.idle()).isEqualTo(java.time.Duration.ofMinutes(5));
        assertThat(fromEnv.absolute()).as("still the file's").isEqualTo(java.time.Duration.ofMinutes(120));
        assertThat(fromEnv.hideSecretsAfter()).isZero();
        assertThat(withEnv.console(null, "20", "60", "45").idle()).as("flags win").isEqualTo(java.time.Duration.ofMinutes(20));
        assertThat(withEnv.console(null, "20", "60", "45").hideSecretsAfter()).isEqualTo(java.time.Duration.ofSeconds(45));

        assertThatThrownBy(() -> withEnv.console(null, "0", null, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--console-idle-minutes");
        assertThatThrownBy(() -> withEnv.console(null, "ten", null, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CASTELLAN_CONSOLE_IDLE_MINUTES");
        assertThatThrownBy(() -> withEnv.console(null, "90", "60", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least the idle minutes");
        assertThatThrownBy(() -> withEnv.console(null, null, null, "-1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hideSecretsAfterSeconds");
    }

    @Test
    void singleSignOnTakesTheAcrValuesThatCountAsASecondFactor() throws Exception {
        Path secret = dir.resolve("oidc-secret");
        Files.writeString(secret, "s3cret-value\n");
        Files.setPosixFilePermissions(secret, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Path file = dir.resolve("server.json");
        Files.writeString(file, "{\"singleSignOn\":{\"issuer\":\"https://idp.example/realms/corp\","
                + "\"clientId\":\"castellan\",\"clientSecretFile\":\"" + secret + "\",\"secondFactorAcr\":[\"mfa\",\"gold\"]}}");
        assertThat(new ConfigResolver(Map.of()).singleSignOn(file.toString()).secondFactorAcr())
                .containsExactly("mfa", "gold");
    }
}
