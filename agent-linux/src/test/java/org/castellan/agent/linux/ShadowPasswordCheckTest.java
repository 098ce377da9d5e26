package org.castellan.agent.linux;

import static org.assertj.core.api.Assertions.assertThat;

import org.castellan.agent.spi.PasswordCheck;
import org.castellan.protocol.Secret;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The check before commit on recorded shadow entries, with the real libcrypt of this machine
 * (crypt_r through JNA, in-process, no PAM): the recorded hashes were made by perl's crypt(),
 * i.e. libxcrypt, from the password below.
 */
@EnabledOnOs(OS.LINUX)
class ShadowPasswordCheckTest {
    private static final String RIGHT = "Castellan-Recorded-1";
    static String shadow;
    final ShadowPasswordCheck check = new ShadowPasswordCheck(new LibCrypt());

    @BeforeAll
    static void read() {
        shadow = Resources.text("shadow/recorded");
    }

    private PasswordCheck check(String account, String password) throws Exception {
        try (Secret secret = Secret.of(password)) {
            return check.check(PasswdParser.shadowHash(shadow, account).orElseThrow(), secret);
        }
    }

    @Test
    void rightPasswordIsProvenAgainstYescryptAndSha512Entries() throws Exception {
        assertThat(check("yes", RIGHT).proven()).isTrue();
        assertThat(check("yes", RIGHT).detail()).contains("yescrypt").doesNotContain("$y$");
        assertThat(check("sha", RIGHT).proven()).isTrue();
        assertThat(check("sha", RIGHT).detail()).contains("sha512crypt");
    }

    @Test
    void wrongPasswordIsNotProven() throws Exception {
        assertThat(check("yes", RIGHT + "x").proven()).isFalse();
        assertThat(check("sha", "castellan-recorded-1").proven()).isFalse();
        assertThat(check("yes", RIGHT + "x").detail()).doesNotContain(RIGHT);
    }

    @Test
    void lockedEmptyAndUnknownEntriesAreNeverProven() throws Exception {
        assertThat(check("locked", RIGHT).detail()).contains("locked");
        assertThat(check("locked", RIGHT).proven()).isFalse();
        assertThat(check("root", "anything").proven()).isFalse();
        assertThat(check("empty", "").proven()).isFalse();
        assertThat(check("odd", RIGHT).proven()).isFalse();
        assertThat(check("odd", RIGHT).detail()).contains("does not know");
    }

    @Test
    void libcryptGivesTheKnownAnswerDiagnoseChecksFor() throws Exception {
        assertThat(new LibCrypt().hash("castellan-selftest".getBytes(), LinuxDiagnostics.KNOWN_SETTING))
                .isEqualTo(LinuxDiagnostics.KNOWN_HASH);
    }
}
