package org.castellan.server.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.castellan.server.testing.NoDatabase;
import org.junit.jupiter.api.Test;

@NoDatabase("no database, no server: the same on either backend")
class NotificationEventTest {
    @Test
    void jsonCarriesWhoWhatWhereWhyAndRulesWithIsoTime() {
        NotificationEvent event = new NotificationEvent("e1", "password.revealed",
                Instant.parse("2026-11-22T10:00:00.123456Z"), "dev-7", "web-01", "user:42", "INC-1", List.of("r1"));
        assertThat(event.toJson()).isEqualTo("{\"id\":\"e1\",\"type\":\"password.revealed\","
                + "\"occurredAt\":\"2026-11-22T10:00:00.123Z\",\"deviceId\":\"dev-7\",\"deviceHostname\":\"web-01\","
                + "\"principal\":\"user:42\",\"reason\":\"INC-1\",\"ruleIds\":[\"r1\"]}");
        assertThat(NotificationEvent.fromJson(event.toJson())).isEqualTo(event);
    }

    @Test
    void hasNoComponentThatCouldCarryASecret() {
        assertThat(Arrays.stream(NotificationEvent.class.getRecordComponents()).map(c -> c.getName()))
                .containsExactly("id", "type", "occurredAt", "deviceId", "deviceHostname", "principal", "reason",
                        "ruleIds");
    }

    @Test
    void eachNewEventGetsItsOwnId() {
        Instant now = Instant.now();
        assertThat(NotificationEvent.of("password.revealed", now, "d", "h", "user:1", null, List.of()).id())
                .isNotEqualTo(NotificationEvent.of("password.revealed", now, "d", "h", "user:1", null, List.of()).id());
    }

    @Test
    void typeMustBeADottedLowercaseName() {
        for (String bad : new String[] {"revealed", "Password.Revealed", "password..revealed", "password.revealed\n", ""}) {
            assertThatThrownBy(() -> NotificationEvent.of(bad, Instant.now(), "d", "h", "user:1", null, List.of()))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void unknownJsonFieldsAreRejected() {
        assertThatThrownBy(() -> NotificationEvent.fromJson("{\"id\":\"e\",\"type\":\"a.b\",\"occurredAt\":"
                + "\"2026-11-22T10:00:00Z\",\"password\":\"hunter2\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
    }
}
