package org.castellan.agent.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.castellan.agent.spi.Platforms;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

@EnabledOnOs(OS.LINUX)
class LinuxPlatformTest {
    @TempDir
    Path tmp;

    @Test
    void serviceLoaderPicksLinuxOnLinux() {
        assertThat(Platforms.current()).isInstanceOf(LinuxPlatform.class);
        assertThat(Platforms.current().os()).isEqualTo("linux");
        assertThat(Platforms.current().defaultStateDir()).isEqualTo(Path.of("/var/lib/castellan-agent"));
    }

    @Test
    void osInfoReportsAValidHostnameAndTheDistribution() {
        var info = new LinuxPlatform(Map.of()).osInfo();
        assertThat(info.hostname()).matches("[A-Za-z0-9._-]{1,253}");
        assertThat(info.osVersion()).isNotBlank();
    }

    @Test
    void hostnamesAreMadeAcceptableToTheServer() {
        assertThat(LinuxPlatform.sanitizeHostname("web 01/prod")).isEqualTo("web-01-prod");
        assertThat(LinuxPlatform.sanitizeHostname("")).isEqualTo("localhost");
        assertThat(LinuxPlatform.sanitizeHostname("a".repeat(300))).hasSize(253);
    }

    @Test
    void stateDirIsMadeOwnerOnly() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("state"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));

        new LinuxPlatform(Map.of()).secureStateDir(dir);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
    }

    @Test
    void keyProtectorIsTheOwnerOnlyFile() throws Exception {
        var protector = new LinuxPlatform(Map.of()).keyProtector();
        assertThat(protector.name()).isEqualTo("file-0600");
        assertThat(protector.unseal(protector.seal(new byte[] {1, 2, 3}))).containsExactly(1, 2, 3);
    }
}
