package org.castellan.agent.macos.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import org.castellan.protocol.Secret;
import org.junit.jupiter.api.Test;

class DsclScriptTest {
    private static String firstLine(DsclScript script) {
        byte[] stdin = script.toStdin();
        String text = new String(stdin, StandardCharsets.UTF_8);
        return text.substring(0, text.indexOf('\n'));
    }

    @Test
    void everyEncodablePasswordReachesDsclUnchanged() {
        SecureRandom random = new SecureRandom();
        String alphabet = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCXYZ[\\]^_`abcxyz{|}~\téü€";
        for (int round = 0; round < 3000; round++) {
            StringBuilder password = new StringBuilder();
            int length = 1 + random.nextInt(40);
            for (int i = 0; i < length; i++) {
                password.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            if (!DsclScript.canEncode(password.toString().toCharArray())) {
                continue;
            }
            try (DsclScript script = new DsclScript()) {
                script.command("passwd", new String[] {"/Users/castellan"}, Secret.of("old pw\\\""), Secret.of(password.toString()));

                assertThat(DsclLineParser.tokens(firstLine(script)))
                        .as("password %s", password)
                        .containsExactly("passwd", "/Users/castellan", "old pw\\\"", password.toString());
            }
        }
    }

    @Test
    void leadingQuoteOrBackslashIsRefusedBecauseDsclWouldKeepTheBackslash() {
        // Why: dscl never removes an escape at a token's first character.
        assertThat(DsclLineParser.tokens("passwd \"\\\"abc\"")).containsExactly("passwd", "\\\"abc");

        for (String bad : List.of("\"abc", "'abc", "\\abc", "a\nb", "a\rb", "a\u0000b", "")) {
            assertThat(DsclScript.canEncode(bad.toCharArray())).as(bad).isFalse();
            try (DsclScript script = new DsclScript()) {
                assertThatThrownBy(() -> script.command("passwd", new String[] {"/Users/x"}, Secret.of(bad)))
                        .isInstanceOf(IllegalArgumentException.class)
                        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(bad.isEmpty() ? "\u0001" : bad));
            }
        }
    }

    @Test
    void sessionEndsWithQuitAndCloseEmptiesTheScript() {
        DsclScript script = new DsclScript();
        script.command("passwd", new String[] {"/Users/x"}, Secret.of("Secret-1"));

        assertThat(new String(script.toStdin(), StandardCharsets.UTF_8)).isEqualTo("passwd \"/Users/x\" \"Secret-1\"\nquit\n");
        script.close();
        assertThat(script.toStdin()).isEqualTo("quit\n".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void overlongLineIsRefusedBeforeDsclsFixedBufferCouldOverflow() {
        try (DsclScript script = new DsclScript()) {
            assertThatThrownBy(() -> script.command("passwd", new String[] {"/Users/x"}, Secret.of("a".repeat(2000))))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
