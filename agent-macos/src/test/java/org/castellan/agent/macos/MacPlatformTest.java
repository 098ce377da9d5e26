package org.castellan.agent.macos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.ServiceLoader;
import org.castellan.agent.macos.process.ProcessCommandRunner;
import org.castellan.agent.macos.service.LaunchdPaths;
import org.castellan.agent.macos.service.PosixPathOwnership;
import org.castellan.agent.spi.PlatformException;
import org.castellan.agent.spi.PlatformProvider;
import org.castellan.protocol.Secret;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MacPlatformTest {
    @TempDir
    Path temp;

    private FakeMacTools fake;
    private MacPlatform platform;

    @BeforeEach
    void setUp() {
        fake = new FakeMacTools(temp.resolve("fake"));
        platform = new MacPlatform(new ProcessCommandRunner(), fake.tools(),
                new LaunchdPaths(temp.resolve("plist"), temp.resolve("logs"), false), new PosixPathOwnership(), temp.resolve("Users"));
    }

    @Test
    void reportsMacosWithHostnameFromScutilAndVersionFromSwVers() {
        fake.respond("scutil", List.of("--get", "LocalHostName"), "finance-mbp-07\n", "", 0);
        fake.respond("sw_vers", List.of("-productVersion"), TestResources.text("outputs/sw_vers/macos13-product-version.txt"), "", 0);

        assertThat(platform.os()).isEqualTo("macos");
        assertThat(platform.osInfo().hostname()).isEqualTo("finance-mbp-07");
        assertThat(platform.osInfo().osVersion()).isEqualTo("13.6.9");
        assertThat(platform.defaultStateDir()).isEqualTo(Path.of("/Library/Application Support/Castellan"));
    }

    @Test
    void failingToolsFallBackInsteadOfBreakingCheckIn() {
        fake.respond("scutil", List.of("--get", "LocalHostName"), "", "scutil: no such key\n", 1);
        fake.respond("sw_vers", List.of("-productVersion"), "", "", 1);

        assertThat(platform.osInfo().hostname()).isNotBlank();
        assertThat(platform.osInfo().osVersion()).isEqualTo(System.getProperty("os.version"));
    }

    @Test
    void stateDirectoryIsRestrictedToItsOwner() throws Exception {
        Path state = temp.resolve("state");
        Files.createDirectories(state);
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxr-xr-x"));

        platform.secureStateDir(state);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state))).isEqualTo("rwx------");
    }

    @Test
    void seededPasswordLandsInTheStateDirectoryAgentCoreSecured() throws Exception {
        Path state = temp.resolve("custom-state");
        platform.secureStateDir(state);

        platform.seedCurrentPassword("castellan", Secret.of("Seeded-Pass-1"));

        Path file = state.resolve("current-password-castellan");
        assertThat(file).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(fake.invocations()).containsExactly(List.of("dscl", "-q", "."));
    }

    @Test
    void seedThroughTheSpiAccountManagerVerifiesAndStoresLikeThePlatformMethod() throws Exception {
        Path state = temp.resolve("spi-state");
        platform.secureStateDir(state);
        org.castellan.agent.spi.AccountManager accounts = platform.accounts();

        accounts.seedCurrentPassword(new org.castellan.agent.spi.ManagedAccount("castellan", "401"),
                Secret.of("Seeded-Pass-2"));

        assertThat(state.resolve("current-password-castellan")).exists();
        assertThat(fake.invocations()).containsExactly(List.of("dscl", "-q", "."));
        assertThat(fake.stdinOf(1)).isEqualTo("authonly \"castellan\" \"Seeded-Pass-2\"\nquit\n");
    }

    @Test
    void keyProtectorIsTheFile0600OneAndRoundTrips() throws Exception {
        var protector = platform.keyProtector();
        byte[] key = "device-private-key".getBytes(StandardCharsets.UTF_8);

        assertThat(protector.name()).isEqualTo("file-0600");
        assertThat(protector.unseal(protector.seal(key))).isEqualTo(key);
        assertThatThrownBy(() -> protector.unseal("not sealed".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.code()).isEqualTo("unseal-failed"));
    }

    @Test
    void providerIsRegisteredAndOnlySupportedOnMacos() {
        List<PlatformProvider> providers = ServiceLoader.load(PlatformProvider.class).stream().map(ServiceLoader.Provider::get).toList();

        assertThat(providers).hasAtLeastOneElementOfType(MacPlatformProvider.class);
        PlatformProvider mac = providers.stream().filter(p -> p instanceof MacPlatformProvider).findFirst().orElseThrow();
        assertThat(mac.isSupported()).isEqualTo(System.getProperty("os.name").startsWith("Mac"));
        assertThat(mac.create().os()).isEqualTo("macos");
    }
}
