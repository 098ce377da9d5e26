package org.castellan.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.castellan.testsupport.Prerequisite;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plain Linux .tar.gz unpacked and installed with its own {@code install.sh} in an
 * {@link OverlayRoot} without Java, then removed with {@code uninstall.sh}.
 */
class TarInstallIT {
    @BeforeAll
    static void needsAnOverlayRoot(@TempDir Path probe) {
        String why = OverlayRoot.whyUnavailable(probe);
        Prerequisite.require(why == null, "an overlay root (" + why + ")",
                "run as root on Linux with overlayfs and mount namespaces");
    }

    @Test
    void installShPutsTheSelfContainedAgentInPlaceAndUninstallShRemovesIt(@TempDir Path dir) throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        Path tar = PackageAgent.build(List.of("--type", "tar.gz", "--unconfigured", "--output", out.toString()));
        OverlayRoot root = OverlayRoot.create(Files.createDirectories(dir.resolve("root")), out);
        String top = tar.getFileName().toString().replace(".tar.gz", "");
        Command.Result install = root.run("rm -f /usr/bin/java /etc/alternatives/java && rm -rf /usr/lib/jvm"
                + " && cd /tmp && tar -xzf /debs/" + tar.getFileName() + " && ./" + top + "/install.sh", 300);
        assertThat(install.exitCode()).as(install.describe()).isZero();
        assertThat(install.stdout()).contains("register this device");
        Command.Result check = root.run("command -v java || echo no-java; stat -c '%a %n' /var/lib/castellan-agent"
                + " /usr/bin/castellan-agent /usr/lib/castellan-agent/runtime/bin/java; castellan-agent --version;"
                + " test -f /usr/lib/castellan-agent/castellan-agent.jsa && echo archive;"
                // -Xshare:on fails the start unless the archive the install made maps onto this runtime and jar.
                + " CASTELLAN_JAVA_OPTS=-Xshare:on castellan-agent --version >/dev/null && echo archive-used;"
                + " test -e /usr/lib/castellan-agent/castellan-agent.classlist || echo no-class-list", 120);
        List<String> lines = check.stdout().lines().toList();
        assertThat(lines).as(check.describe()).hasSize(8);
        assertThat(lines.subList(0, 4)).containsExactly("no-java", "700 /var/lib/castellan-agent",
                "755 /usr/bin/castellan-agent", "755 /usr/lib/castellan-agent/runtime/bin/java");
        assertThat(lines.get(4)).as("runs on its own runtime").startsWith("castellan-agent ");
        assertThat(lines.subList(5, 8)).as(check.describe()).containsExactly("archive", "archive-used", "no-class-list");
        Command.Result uninstall = root.run("/tmp/" + top + "/uninstall.sh --purge && ls /usr/bin/castellan-agent"
                + " /usr/lib/castellan-agent /var/lib/castellan-agent 2>&1 | grep -c 'No such file'", 120);
        assertThat(uninstall.stdout().strip()).as(uninstall.describe()).isEqualTo("3");
    }
}
