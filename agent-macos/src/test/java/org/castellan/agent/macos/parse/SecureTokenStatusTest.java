package org.castellan.agent.macos.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.castellan.agent.macos.TestResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SecureTokenStatusTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "macos12-enabled.txt, admin, ENABLED",
        "macos12-disabled.txt, castellan, DISABLED",
        "macos13-enabled.txt, laps-admin, ENABLED",
        "macos14-disabled.txt, castellan, DISABLED",
        "macos15-enabled.txt, castellan.admin, ENABLED",
        "macos15-disabled.txt, it_support, DISABLED",
    })
    void readsTheStatusWhateverTheNsLogPrefix(String file, String user, SecureTokenStatus expected) throws Exception {
        String output = TestResources.text("outputs/secure-token/" + file);

        assertThat(SecureTokenStatus.parse(output, user)).isEqualTo(expected);
    }

    @Test
    void sentenceAboutAnotherUserIsNoAnswer() {
        String output = TestResources.text("outputs/secure-token/macos12-enabled.txt");

        assertThatThrownBy(() -> SecureTokenStatus.parse(output, "castellan")).isInstanceOf(UnexpectedOutputException.class);
    }

    @Test
    void userWhosNameExtendsAnotherIsNotConfused() {
        String output = "2024-01-01 12:00:00.000 sysadminctl[1:2] Secure token is ENABLED for user admin2\n";

        assertThatThrownBy(() -> SecureTokenStatus.parse(output, "admin")).isInstanceOf(UnexpectedOutputException.class);
    }

    @Test
    void unknownUserIsAnErrorNotDisabled() {
        String output = TestResources.text("outputs/secure-token/unknown-user.txt");

        assertThatThrownBy(() -> SecureTokenStatus.parse(output, "nosuchuser"))
                .isInstanceOf(UnexpectedOutputException.class)
                .hasMessageContaining("Unknown user");
    }
}
