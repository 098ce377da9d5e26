package org.castellan.agent.windows.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class PasswordMarkersTest {
    private static final Instant NOW = Instant.parse("2026-11-22T01:00:00Z");

    private static long filetime(long epochSecond) {
        return epochSecond * 10_000_000L + PasswordMarkers.FILETIME_UNIX_EPOCH;
    }

    @Test
    void samMarkerIsStableAcrossReadsWhileTheAgeTicks() {
        long lastSet = NOW.getEpochSecond() - 3600;
        String first = PasswordMarkers.marker(OptionalLong.of(filetime(lastSet)), 3600, NOW);
        String later = PasswordMarkers.marker(OptionalLong.of(filetime(lastSet)), 3601, NOW.plusMillis(1400));

        assertThat(later).isEqualTo(first).startsWith("sam:");
    }

    @Test
    void samMarkerChangesWhenThePasswordIsSet() {
        long lastSet = NOW.getEpochSecond() - 3600;
        String before = PasswordMarkers.marker(OptionalLong.of(filetime(lastSet)), 3600, NOW);
        String after = PasswordMarkers.marker(OptionalLong.of(filetime(NOW.getEpochSecond() + 2)), 0, NOW.plusSeconds(2));

        assertThat(after).isNotEqualTo(before);
    }

    @Test
    void samTimeThatDisagreesWithThePasswordAgeIsNotTrusted() {
        // e.g. a SAM layout we misread: the value is ignored, the documented age is used.
        String marker = PasswordMarkers.marker(OptionalLong.of(filetime(NOW.getEpochSecond() - 99_999)), 3600, NOW);

        assertThat(marker).startsWith("age:");
    }

    @Test
    void ageMarkerToleratesTheOneSecondJitterOfNowMinusAge() {
        // Password set at 00:00:30.4: reads a second apart compute 00:00:30 or 00:00:31.
        Instant setAt = Instant.parse("2026-11-22T00:00:30.400Z");
        Instant read1 = setAt.plusSeconds(100).plusMillis(500);
        Instant read2 = setAt.plusSeconds(250).plusMillis(700);
        String m1 = PasswordMarkers.marker(OptionalLong.empty(), 100, read1);
        String m2 = PasswordMarkers.marker(OptionalLong.empty(), 251, read2);

        assertThat(m1).isEqualTo(m2).isEqualTo("age:" + Instant.parse("2026-11-22T00:00:00Z").getEpochSecond());
    }

    @Test
    void ageMarkerChangesWhenThePasswordIsSetMinutesLater() {
        String before = PasswordMarkers.marker(OptionalLong.empty(), 86_400, NOW);
        String after = PasswordMarkers.marker(OptionalLong.empty(), 3, NOW.plusSeconds(3));

        assertThat(after).isNotEqualTo(before);
    }

    @Test
    void samRecordIsReadAtItsDocumentedOffsetsAndRejectedForAnotherRid() {
        byte[] f = new byte[0x50];
        ByteBuffer b = ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0x08, 111L); // last logon
        b.putLong(0x18, 133_000_000_000_000_000L); // password last set
        b.putInt(0x30, 500);

        assertThat(SamUserRecord.passwordLastSet(f, 500)).hasValue(133_000_000_000_000_000L);
        assertThat(SamUserRecord.passwordLastSet(f, 1001)).isEmpty();
        assertThat(SamUserRecord.passwordLastSet(new byte[10], 500)).isEmpty();
        assertThat(SamUserRecord.keyPath(500)).isEqualTo("SAM\\SAM\\Domains\\Account\\Users\\000001F4");
    }
}
