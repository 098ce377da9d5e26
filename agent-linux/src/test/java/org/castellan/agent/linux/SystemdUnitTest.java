package org.castellan.agent.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.castellan.agent.spi.ServiceSpec;
import org.junit.jupiter.api.Test;

class SystemdUnitTest {
    private static final ServiceSpec SPEC = new ServiceSpec(List.of("/usr/lib/jvm/java-17/bin/java", "-cp",
            "/opt/castellan/castellan-agent.jar", "org.castellan.agent.cli.AgentMain", "run", "--state-dir",
            "/var/lib/castellan-agent"), Path.of("/var/lib/castellan-agent"));

    @Test
    void unitRunsTheCommandRestartsOnFailureAndIsHardened() {
        String unit = SystemdUnit.render(SPEC);

        assertThat(unit).contains("ExecStart=/usr/lib/jvm/java-17/bin/java -cp /opt/castellan/castellan-agent.jar "
                + "org.castellan.agent.cli.AgentMain run --state-dir /var/lib/castellan-agent\n");
        assertThat(unit).contains("Restart=on-failure\n", "NoNewPrivileges=yes\n", "ProtectHome=yes\n",
                "PrivateTmp=yes\n", "WantedBy=multi-user.target\n", "After=network-online.target\n",
                "CapabilityBoundingSet=CAP_CHOWN\n", "ProtectSystem=strict\n", "RestrictNamespaces=yes\n",
                "SystemCallFilter=@system-service\n", "SystemCallArchitectures=native\n");
        assertThat(unit.lines().filter(l -> l.startsWith("[")).toList())
                .containsExactly("[Unit]", "[Service]", "[Install]");
    }

    @Test
    void chpasswdMayRewriteEtcAndTheAgentItsStateDirectoryButNothingElse() {
        List<String> lines = SystemdUnit.render(SPEC).lines().toList();

        assertThat(lines).contains("ProtectSystem=strict", "ReadWritePaths=/etc /var/lib/castellan-agent");
        assertThat(lines).filteredOn(l -> l.startsWith("ReadWritePaths=")).hasSize(1);
    }

    @Test
    void aStopBySigtermIsACleanExitNotAFailure() {
        // The JVM exits 143 after its shutdown hooks when systemd stops it with SIGTERM.
        assertThat(SystemdUnit.render(SPEC).lines()).contains("SuccessExitStatus=143");
    }

    @Test
    void aStateDirectoryThatReadWritePathsCouldMisreadIsRefused() {
        ServiceSpec spaced = new ServiceSpec(SPEC.command(), Path.of("/var/lib/my agent"));

        assertThatThrownBy(() -> SystemdUnit.render(spaced)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/var/lib/my agent");
    }

    @Test
    void wordsWithSpacesAndSpecialCharactersAreQuotedForSystemd() {
        assertThat(SystemdUnit.execLine(List.of("/opt/my java/bin/java", "a\"b", "50%", "$HOME", "back\\slash")))
                .isEqualTo("\"/opt/my java/bin/java\" \"a\\\"b\" \"50%%\" \"$$HOME\" \"back\\\\slash\"");
    }

    @Test
    void lineBreaksCannotBeSmuggledIntoTheUnit() {
        assertThatThrownBy(() -> SystemdUnit.quote("run\nExecStartPre=/bin/evil"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
