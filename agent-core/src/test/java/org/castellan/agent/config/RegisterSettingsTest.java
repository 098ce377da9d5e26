package org.castellan.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.castellan.agent.config.RegisterSettings.Flags;
import org.castellan.agent.config.RegisterSettings.KeySource.Kind;
import org.junit.jupiter.api.Test;

class RegisterSettingsTest {
    private static final String FP = "ab".repeat(32);
    private static final String FP2 = "cd".repeat(32);
    private static final Flags NO_FLAGS = new Flags(null, null, null, null);
    private static final Map<String, String> KEY_ENV = Map.of(EnvVars.REGISTRATION_KEY, "k-env");

    @Test
    void flagBeatsEnvironmentBeatsConfigFile() throws Exception {
        ConfigFile file = new ConfigFile("https://file.example:1", FP2, "/etc/key-from-file");
        Map<String, String> env = Map.of(EnvVars.SERVER, "https://env.example:2", EnvVars.SERVER_FINGERPRINT, FP,
                EnvVars.REGISTRATION_KEY, "k-env");

        RegisterSettings fromFlags = RegisterSettings.resolve(
                new Flags("https://flag.example:3", FP2.toUpperCase(), null, "/tmp/k"), env, file);
        assertThat(fromFlags.server()).isEqualTo("https://flag.example:3");
        assertThat(fromFlags.serverFingerprint()).isEqualTo(FP2);
        assertThat(fromFlags.keySource().kind()).isEqualTo(Kind.FILE);
        assertThat(fromFlags.keySource().value()).isEqualTo("/tmp/k");

        RegisterSettings fromEnv = RegisterSettings.resolve(NO_FLAGS, env, file);
        assertThat(fromEnv.server()).isEqualTo("https://env.example:2");
        assertThat(fromEnv.serverFingerprint()).isEqualTo(FP);
        assertThat(fromEnv.keySource().kind()).isEqualTo(Kind.LITERAL);
        assertThat(fromEnv.keySource().origin()).isEqualTo(EnvVars.REGISTRATION_KEY);

        RegisterSettings fromFile = RegisterSettings.resolve(NO_FLAGS, Map.of(), file);
        assertThat(fromFile.server()).isEqualTo("https://file.example:1");
        assertThat(fromFile.serverFingerprint()).isEqualTo(FP2);
        assertThat(fromFile.keySource().kind()).isEqualTo(Kind.FILE);
        assertThat(fromFile.keySource().value()).isEqualTo("/etc/key-from-file");
    }

    @Test
    void keyFlagAndKeyFileFlagConflict() {
        assertThatThrownBy(() -> RegisterSettings.resolve(new Flags("https://s", null, "k", "/tmp/k"), Map.of(),
                ConfigFile.EMPTY)).isInstanceOf(ConfigException.class).hasMessageContaining("conflict");
    }

    @Test
    void keyEnvAndKeyFileEnvConflict() {
        Map<String, String> env = Map.of(EnvVars.REGISTRATION_KEY, "k", EnvVars.REGISTRATION_KEY_FILE, "/tmp/k");
        assertThatThrownBy(() -> RegisterSettings.resolve(new Flags("https://s", null, null, null), env,
                ConfigFile.EMPTY)).isInstanceOf(ConfigException.class).hasMessageContaining("conflict");
    }

    @Test
    void dashReadsTheKeyFromStdin() throws Exception {
        RegisterSettings settings = RegisterSettings.resolve(new Flags("https://s", null, "-", null), Map.of(),
                ConfigFile.EMPTY);
        assertThat(settings.keySource().kind()).isEqualTo(Kind.STDIN);
    }

    @Test
    void plainHttpAndPathsAreRefused() {
        assertThatThrownBy(() -> RegisterSettings.resolve(new Flags("http://s:8443", null, null, null), KEY_ENV,
                ConfigFile.EMPTY)).hasMessageContaining("must be https");
        assertThatThrownBy(() -> RegisterSettings.resolve(new Flags("https://s/api", null, null, null), KEY_ENV,
                ConfigFile.EMPTY)).hasMessageContaining("without path");
    }

    @Test
    void serverIsNormalizedAndFingerprintAcceptsColons() throws Exception {
        String colons = FP.replaceAll("(..)(?!$)", "$1:").toUpperCase();
        RegisterSettings settings = RegisterSettings.resolve(new Flags("https://Castellan.Example:8443/", colons,
                null, null), KEY_ENV, ConfigFile.EMPTY);
        assertThat(settings.server()).isEqualTo("https://castellan.example:8443");
        assertThat(settings.serverFingerprint()).isEqualTo(FP);
    }

    @Test
    void malformedFingerprintIsRefused() {
        assertThatThrownBy(() -> RegisterSettings.resolve(new Flags("https://s", "abc", null, null), KEY_ENV,
                ConfigFile.EMPTY)).isInstanceOf(ConfigException.class).hasMessageContaining("64 hex digits");
    }

    @Test
    void missingServerOrKeyIsExplained() {
        assertThatThrownBy(() -> RegisterSettings.resolve(NO_FLAGS, KEY_ENV, ConfigFile.EMPTY))
                .hasMessageContaining("no server given").hasMessageContaining(EnvVars.SERVER);
        assertThatThrownBy(() -> RegisterSettings.resolve(new Flags("https://s", null, null, null), Map.of(),
                ConfigFile.EMPTY)).hasMessageContaining("no registration key");
    }

    @Test
    void keySourceNeverPrintsTheKey() throws Exception {
        RegisterSettings settings = RegisterSettings.resolve(new Flags("https://s", null, "s3cr3t-key", null),
                Map.of(), ConfigFile.EMPTY);
        assertThat(settings.toString()).doesNotContain("s3cr3t-key");
    }

    @Test
    void aServerListIsNormalizedEntryByEntryAndRefusesEmptyOrRepeatedEntries() throws Exception {
        assertThat(RegisterSettings.resolve(new Flags("https://A.example:1/,https://b.example:2", null, null, null),
                KEY_ENV, ConfigFile.EMPTY).server()).isEqualTo("https://a.example:1,https://b.example:2");
        assertThatThrownBy(() -> RegisterSettings.resolve(new Flags("https://a.example,", null, null, null), KEY_ENV,
                ConfigFile.EMPTY)).hasMessageContaining("empty entry");
        assertThatThrownBy(() -> RegisterSettings.resolve(new Flags("https://a.example,https://A.example/", null, null,
                null), KEY_ENV, ConfigFile.EMPTY)).hasMessageContaining("twice");
        assertThatThrownBy(() -> RegisterSettings.resolve(new Flags("https://a.example,http://b.example", null, null,
                null), KEY_ENV, ConfigFile.EMPTY)).hasMessageContaining("must be https");
    }
}
