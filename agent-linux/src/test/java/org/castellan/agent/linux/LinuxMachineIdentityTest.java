package org.castellan.agent.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.castellan.agent.spi.MachineIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** machine-id(5) and DMI product_uuid as recorded from real machines. */
class LinuxMachineIdentityTest {
    @TempDir
    Path tmp;

    @Test
    void machineIdAndProductUuidAreRead() throws Exception {
        MachineIdentity identity = identity("machine-id", "product_uuid");

        assertThat(identity.sources()).containsEntry("machine-id", "3d1219c7c4c5404aaa1f6d2a48adfda4")
                .containsEntry("product_uuid", "4c4c4544-0032-3510-8047-b4c04f4e4b32");
        assertThat(identity.toString()).doesNotContain("3d1219c7");
    }

    @Test
    void firstBootPlaceholderAndFirmwarePlaceholderAreLeftOut() throws Exception {
        assertThat(identity("machine-id-first-boot", "product_uuid-placeholder").sources()).isEmpty();
        assertThat(identity("machine-id", "product_uuid-qemu").sources()).containsKeys("machine-id", "product_uuid");
    }

    @Test
    void missingFilesAreLeftOut() {
        MachineIdentity identity = new LinuxMachineIdentity(new Path[] {tmp.resolve("none")}, tmp.resolve("none2")).read();

        assertThat(identity.sources()).isEmpty();
    }

    @Test
    void dbusCopyIsUsedWhenEtcHasNone() throws Exception {
        Path dbus = Files.writeString(tmp.resolve("dbus-machine-id"), Resources.text("identity/machine-id"));

        MachineIdentity identity = new LinuxMachineIdentity(new Path[] {tmp.resolve("absent"), dbus}, tmp.resolve("x")).read();

        assertThat(identity.sources()).containsOnlyKeys("machine-id");
    }

    @Test
    void packageManagerOutputsAreParsed() {
        assertThat(PackageVersions.dpkgQuery("1:4.13+dfsg1-1+deb12u1")).contains("1:4.13+dfsg1-1+deb12u1");
        assertThat(PackageVersions.dpkgQuery("dpkg-query: no packages found matching passwd")).isEmpty();
        assertThat(PackageVersions.rpmQuery("4.9-12.el9")).contains("4.9-12.el9");
        assertThat(PackageVersions.rpmQuery("package shadow-utils is not installed")).isEmpty();
    }

    private MachineIdentity identity(String machineId, String productUuid) throws Exception {
        Path id = Files.writeString(tmp.resolve(machineId), Resources.text("identity/" + machineId));
        Path uuid = Files.writeString(tmp.resolve(productUuid), Resources.text("identity/" + productUuid));
        return new LinuxMachineIdentity(new Path[] {id}, uuid).read();
    }
}
