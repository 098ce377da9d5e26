package org.castellan.agent.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.castellan.agent.spi.LuksHeader;
import org.castellan.agent.spi.LuksToken;
import org.junit.jupiter.api.Test;

/** lsblk, blkid and luksDump parsers on recorded outputs (src/test/resources/luks/README.md). */
class LuksParsersTest {
    @Test
    void lsblkOnALaptopListsTheLuksPartitionAndDiskButNotTheOpenedMappingOrOtherFilesystems() throws IOException {
        assertThat(LsblkParser.luksCandidates(Resources.text("luks/lsblk-laptop.json")))
                .containsExactly("/dev/nvme0n1", "/dev/nvme0n1p3", "/dev/sda");
    }

    @Test
    void lsblkWithoutUdevKeepsEveryDeviceOfUnknownTypeForBlkidToProbe() throws IOException {
        assertThat(LsblkParser.luksCandidates(Resources.text("luks/lsblk-container-loop.json")))
                .containsExactly("/dev/loop0", "/dev/zram0", "/dev/vda");
    }

    @Test
    void lsblkOutputWithoutDevicesIsAnError() {
        assertThatThrownBy(() -> LsblkParser.luksCandidates("{\"devices\":[]}")).isInstanceOf(IOException.class);
    }

    @Test
    void blkidFindsTheUuidOfLuks2AndNothingForLuks1OrExt4() {
        assertThat(BlkidParser.luks2Uuid(Resources.text("luks/blkid-luks2.txt")))
                .contains("318978df-41fa-4a9f-9b01-ce2a3fc7e0e9");
        assertThat(BlkidParser.luks2Uuid(Resources.text("luks/blkid-luks1.txt"))).isEmpty();
        assertThat(BlkidParser.luks2Uuid(Resources.text("luks/blkid-ext4.txt"))).isEmpty();
    }

    @Test
    void luksDumpOfAFreshVolumeHasSlotZeroAndNoTokens() throws IOException {
        LuksHeader header = LuksDumpParser.header(Resources.text("luks/luksdump-fresh.json"));
        assertThat(header.activeSlots()).containsExactly(0);
        assertThat(header.tokens()).isEmpty();
        assertThat(header.freeSlot()).isEqualTo(1);
    }

    @Test
    void luksDumpSeparatesCastellanTokensFromForeignOnes() throws IOException {
        LuksHeader header = LuksDumpParser.header(Resources.text("luks/luksdump-foreign-and-castellan.json"));
        assertThat(header.activeSlots()).containsExactlyInAnyOrder(0, 1);
        assertThat(header.tokens()).hasSize(2);
        assertThat(header.tokensOf(0)).extracting(LuksToken::type).containsExactly("systemd-recovery");
        assertThat(header.castellanTokens()).containsExactly(new LuksToken(1, "castellan", List.of(1), "castellan-0b6f",
                Instant.parse("2026-06-01T10:00:00Z")));
        assertThat(header.castellanToken("castellan-0b6f")).isPresent();
        assertThat(header.freeSlot()).isEqualTo(2);
    }

    @Test
    void aCastellanTokenWithoutADateIsReadWithAnUnknownDate() throws IOException {
        LuksHeader header = LuksDumpParser.header(Resources.text("luks/luksdump-castellan-token.json"));
        assertThat(header.activeSlots()).as("slot 5 holds a key of someone else, without a token")
                .containsExactlyInAnyOrder(0, 3, 5);
        assertThat(header.castellanTokens()).singleElement().satisfies(t -> {
            assertThat(t.keyslots()).containsExactly(3);
            assertThat(t.protectorId()).isEqualTo("castellan-x");
            assertThat(t.created()).isNull();
        });
    }

    @Test
    void theImportedTokenRoundTripsThroughTheParser() throws IOException {
        LuksToken token = new LuksToken(-1, "castellan", List.of(4), "castellan-abc", Instant.parse("2026-12-02T04:00:00Z"));
        String json = LuksDumpParser.tokenJson(token);
        LuksHeader header = LuksDumpParser.header("{\"keyslots\":{\"0\":{},\"4\":{}},\"tokens\":{\"2\":" + json + "}}");
        assertThat(header.castellanTokens()).containsExactly(new LuksToken(2, "castellan", List.of(4), "castellan-abc",
                Instant.parse("2026-12-02T04:00:00Z")));
    }

    @Test
    void aDumpWithoutKeySlotsIsAnError() {
        assertThatThrownBy(() -> LuksDumpParser.header("{\"tokens\":{}}")).isInstanceOf(IOException.class);
    }
}
