package org.castellan.server.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.castellan.server.testing.NoDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@NoDatabase("no database, no server: the same on either backend")
class RefParsingTest {
    @Test
    void principalsRoundTrip() {
        assertThat(PrincipalRef.parse("user:42")).isEqualTo(PrincipalRef.user("42"));
        assertThat(PrincipalRef.parse("user-group:3f2b6c1e-0d1a-4c55-9a43-1b2c3d4e5f60").wire())
                .isEqualTo("user-group:3f2b6c1e-0d1a-4c55-9a43-1b2c3d4e5f60");
    }

    @Test
    void targetsRoundTrip() {
        assertThat(TargetRef.parse("device:7")).isEqualTo(TargetRef.device("7"));
        assertThat(TargetRef.parse("device-group:web")).isEqualTo(TargetRef.deviceGroup("web"));
        assertThat(TargetRef.parse("all")).isSameAs(TargetRef.ALL);
        assertThat(TargetRef.ALL.wire()).isEqualTo("all");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|principal is empty; expected user:ID or user-group:ID",
        "42|principal \"42\" has no kind; expected user:ID or user-group:ID",
        "group:1|principal \"group:1\" has unknown kind \"group\"; expected user or user-group",
        "User:1|principal \"User:1\" has unknown kind \"User\"; expected user or user-group",
        "user:|user id is empty",
        "user: 1|user id \" 1\" must be 1-64 characters of A-Z a-z 0-9 _ - starting with a letter or digit",
        "user:1:2|user id \"1:2\" must be 1-64 characters of A-Z a-z 0-9 _ - starting with a letter or digit",
        "user-group:-x|user-group id \"-x\" must be 1-64 characters of A-Z a-z 0-9 _ - starting with a letter or digit",
    })
    void badPrincipalsAreRejectedPrecisely(String text, String message) {
        assertThatThrownBy(() -> PrincipalRef.parse(text))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|target is empty; expected device:ID, device-group:ID or all",
        "ALL|target \"ALL\" has no kind; expected device:ID, device-group:ID or all",
        "all:1|target \"all:1\" has unknown kind \"all\"; expected device, device-group or all",
        "host:1|target \"host:1\" has unknown kind \"host\"; expected device, device-group or all",
        "device:|device id is empty",
        "device-group:a/b|device-group id \"a/b\" must be 1-64 characters of A-Z a-z 0-9 _ - starting with a letter or digit",
    })
    void badTargetsAreRejectedPrecisely(String text, String message) {
        assertThatThrownBy(() -> TargetRef.parse(text))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void hugeInputIsNotEchoedInTheMessage() {
        String huge = "user:" + "x".repeat(1_000_000);
        assertThatThrownBy(() -> PrincipalRef.parse(huge))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200).contains("(1000000 chars)"));
    }

    @Test
    void controlCharactersAreNotEchoed() {
        assertThatThrownBy(() -> TargetRef.parse("device:a\nINFO forged log line"))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void permissionsParseFromTheirWireNamesOnly() {
        for (Permission p : Permission.values()) {
            assertThat(Permission.fromWire(p.wireName())).isSameAs(p);
        }
        assertThat(Permission.PASSWORD_READ.wireName()).isEqualTo("password.read");
        assertThat(Permission.RECOVERY_KEY_READ.wireName()).isEqualTo("recovery-key.read");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PASSWORD_READ", "password.Read", "password.read ", "", "*"})
    void unknownPermissionNamesAreRejectedListingTheKnownOnes(String name) {
        assertThatThrownBy(() -> Permission.fromWire(name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected one of password.read, password.history, recovery-key.read, "
                        + "device.rotate, device.manage");
    }
}
