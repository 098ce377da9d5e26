package org.castellan.agent.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.castellan.agent.fake.FakeServer;
import org.castellan.protocol.messages.CheckInRequest;
import org.junit.jupiter.api.Test;

class FailoverServerApiTest {
    private static final CheckInRequest CHECK_IN = new CheckInRequest("host", "os 1", "0.1", "root", null, List.of());

    @Test
    void unreachableNodeIsSkippedAndTheNodeThatAnsweredIsTriedFirstNextTime() throws Exception {
        FakeServer first = new FakeServer("d1");
        FakeServer second = new FakeServer("d1");
        first.unreachable = true;
        FailoverServerApi api = new FailoverServerApi(List.of(first, second));

        assertThat(api.checkIn(CHECK_IN)).isNotNull();
        assertThat(second.checkIns).hasSize(1);

        first.unreachable = false;
        api.checkIn(CHECK_IN);
        assertThat(first.checkIns).as("the node that answered stays preferred").isEmpty();
        assertThat(second.checkIns).hasSize(2);
    }

    @Test
    void anHttpRefusalIsFinalAndNotRetriedOnAnotherNode() {
        FakeServer first = new FakeServer("d1");
        FakeServer second = new FakeServer("d1");
        first.registerFailure = new ServerException(403, "registration-key-expired", "the registration key has expired");
        FailoverServerApi api = new FailoverServerApi(List.of(first, second));

        assertThatThrownBy(() -> api.register(null)).isInstanceOf(ServerException.class)
                .hasMessageContaining("registration-key-expired");
        assertThat(second.registrations).isEmpty();
    }

    @Test
    void whenNoNodeAnswersTheErrorNamesEveryFailure() {
        FakeServer first = new FakeServer("d1");
        FakeServer second = new FakeServer("d1");
        first.unreachable = true;
        second.unreachable = true;
        assertThatThrownBy(() -> new FailoverServerApi(List.of(first, second)).checkIn(CHECK_IN))
                .isInstanceOfSatisfying(ServerException.class, e -> {
                    assertThat(e.status()).isZero();
                    assertThat(e.code()).isEqualTo(ServerException.UNREACHABLE);
                })
                .hasMessageContaining("none of the 2 servers answered");
    }
}
