package org.castellan.agent.linux;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswdParserTest {
    private final String passwd = Resources.text("accounts/passwd");
    private final String shadow = Resources.text("accounts/shadow");

    @Test
    void findsAccountsByExactName() {
        assertThat(PasswdParser.findUser(passwd, "root")).get().satisfies(e -> {
            assertThat(e.uid()).isZero();
            assertThat(e.home()).isEqualTo("/root");
        });
        assertThat(PasswdParser.findUser(passwd, "admin")).get().extracting(PasswdParser.PasswdEntry::uid).isEqualTo(1000L);
        assertThat(PasswdParser.findUser(passwd, "adm")).isEmpty();
        assertThat(PasswdParser.findUser(passwd, "Root")).isEmpty();
    }

    @Test
    void damagedCommentedAndNisLinesAreNotAccounts() {
        assertThat(PasswdParser.findUser(passwd, "broken")).isEmpty();
        assertThat(PasswdParser.findUser(passwd, "# a comment line")).isEmpty();
        assertThat(PasswdParser.findUser(passwd, "+nisuser")).isEmpty();
    }

    @Test
    void shadowHashFieldIsReturnedVerbatim() {
        assertThat(PasswdParser.shadowHash(shadow, "root")).get().asString().startsWith("$6$5hZ7cV9Q$");
        assertThat(PasswdParser.shadowHash(shadow, "daemon")).contains("*");
        assertThat(PasswdParser.shadowHash(shadow, "admin")).get().asString().startsWith("!$y$");
        assertThat(PasswdParser.shadowHash(shadow, "nobody")).isEmpty();
    }
}
