package org.castellan.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class FleetLayoutTest {
    @Test
    void idsSortAsTheirIndexSoThatAPageCursorIsAnIndex() {
        List<String> ids = LongStream.of(0, 1, 99, 100, 499_999, 500_000, 999_999, 9_999_999).mapToObj(FleetLayout::id).toList();
        assertThat(ids).isSorted().doesNotHaveDuplicates();
        assertThat(FleetLayout.rotationId(5, 0)).isNotEqualTo(FleetLayout.rotationId(5, 1)).isNotEqualTo(FleetLayout.id(5));
    }

    @Test
    void everyTenthDeviceIsAWebServer() {
        assertThat(FleetLayout.hostname(0)).isEqualTo("web-0000000");
        assertThat(FleetLayout.hostname(10)).startsWith("web-");
        assertThat(FleetLayout.hostname(11)).isEqualTo("host-0000011");
    }

    @Test
    void keysDeriveFromTheFleetSeedAndTheIndexAlone() {
        FleetLayout a = new FleetLayout(new byte[32]);
        FleetLayout b = new FleetLayout(new byte[32]);
        byte[] other = new byte[32];
        other[0] = 1;
        assertThat(a.key(7).publicKeyBase64()).isEqualTo(b.key(7).publicKeyBase64())
                .isNotEqualTo(a.key(8).publicKeyBase64()).isNotEqualTo(new FleetLayout(other).key(7).publicKeyBase64());
        assertThat(a.seededPassword(7)).isEqualTo(b.seededPassword(7)).isNotEqualTo(a.seededPassword(8));
    }

    @Test
    void theMixPicksByWeightAndRefusesWhatItDoesNotKnow() {
        Mix mix = Mix.parse("check-in=3,reveal=1");
        assertThat(mix.pick(0.0)).isEqualTo("check-in");
        assertThat(mix.pick(0.74)).isEqualTo("check-in");
        assertThat(mix.pick(0.76)).isEqualTo("reveal");
        assertThat(mix.pick(0.999)).isEqualTo("reveal");
        assertThat(mix.has("rotation")).isFalse();
        assertThatThrownBy(() -> Mix.parse("checkin=1")).hasMessageContaining("unknown operation");
        assertThatThrownBy(() -> Mix.parse("check-in=0")).hasMessageContaining("above 0");
    }
}
