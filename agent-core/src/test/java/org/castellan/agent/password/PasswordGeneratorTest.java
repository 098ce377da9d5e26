package org.castellan.agent.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.castellan.protocol.Secret;
import org.castellan.protocol.messages.AccountOptions;
import org.castellan.protocol.messages.AgentPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordGeneratorTest {
    private final PasswordGenerator generator = new PasswordGenerator(new SecureRandom());

    private static AgentPolicy chars(int length, String complexity, boolean excludeLookalikes) {
        return new AgentPolicy("", length, complexity, 0, excludeLookalikes, 30, 3600, AccountOptions.NONE);
    }

    private String generate(AgentPolicy policy) {
        try (Secret secret = generator.generate(policy)) {
            return secret.reveal();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 12, 20, 64, 256})
    void characterPasswordsHaveTheRequestedLength(int length) {
        assertThat(generate(chars(length, "full", false))).hasSize(length);
    }

    @Test
    void fullComplexityAlwaysHasEveryClass() {
        for (int i = 0; i < 500; i++) {
            String password = generate(chars(8, "full", false));
            assertThat(password).containsPattern("[A-Z]").containsPattern("[a-z]").containsPattern("[0-9]")
                    .containsPattern("[^A-Za-z0-9]");
            assertThat(password.chars().allMatch(c -> (PasswordGenerator.UPPER + PasswordGenerator.LOWER
                    + PasswordGenerator.DIGITS + PasswordGenerator.SYMBOLS).indexOf(c) >= 0)).isTrue();
        }
    }

    @Test
    void passwordsNeverContainQuotesBackslashOrBacktickThatBreakDsclAndShellQuoting() {
        assertThat(PasswordGenerator.SYMBOLS).doesNotContain("\"", "'", "\\", "`", " ");
        for (int i = 0; i < 2000; i++) {
            // Lookalikes kept in, so only the symbol set itself keeps these characters out.
            assertThat(generate(chars(64, "full", false))).doesNotContain("\"", "'", "\\", "`");
        }
    }

    @Test
    void alphanumericHasLettersAndDigitsOnly() {
        for (int i = 0; i < 500; i++) {
            String password = generate(chars(10, "alphanumeric", false));
            assertThat(password).matches("[A-Za-z0-9]{10}").containsPattern("[A-Z]").containsPattern("[a-z]")
                    .containsPattern("[0-9]");
        }
    }

    @Test
    void lookalikesAreLeftOutWhenAsked() {
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            all.append(generate(chars(16, "full", true)));
        }
        for (char c : "0Oo1lI|`'\"".toCharArray()) {
            assertThat(all.toString()).doesNotContain(String.valueOf(c));
        }
        // Without the option they do occur (so the test above can fail).
        StringBuilder plain = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            plain.append(generate(chars(16, "full", false)));
        }
        assertThat(plain.toString()).contains("0").contains("O").contains("l");
    }

    @Test
    void charactersWithinAClassAreRoughlyUniform() {
        Map<Character, Integer> counts = new HashMap<>();
        for (int i = 0; i < 4000; i++) {
            for (char c : generate(chars(20, "alphanumeric", false)).toCharArray()) {
                counts.merge(c, 1, Integer::sum);
            }
        }
        for (String cls : new String[] {PasswordGenerator.UPPER, PasswordGenerator.LOWER, PasswordGenerator.DIGITS}) {
            double mean = cls.chars().map(c -> counts.getOrDefault((char) c, 0)).average().orElseThrow();
            for (char c : cls.toCharArray()) {
                assertThat((double) counts.getOrDefault(c, 0)).as("count of %s", c).isBetween(mean * 0.8, mean * 1.2);
            }
        }
    }

    @Test
    void passphraseHasTheRequestedNumberOfListWords() {
        Set<String> words = new HashSet<>();
        WordList list = WordList.effLong();
        for (int i = 0; i < list.size(); i++) {
            words.add(list.get(i));
        }
        String phrase = generate(new AgentPolicy("", 0, "full", 6, false, 30, 3600, AccountOptions.NONE));
        // EFF words may contain '-' themselves (e.g. "t-shirt"), so count by matching greedily.
        assertThat(splitIntoListWords(phrase, words)).isEqualTo(6);
    }

    @Test
    void passphraseWordsAreChosenUniformly() {
        WordList list = WordList.effLong();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            index.put(list.get(i), i);
        }
        int[] counts = new int[list.size()];
        int draws = 0;
        for (int i = 0; i < 12_000; i++) {
            try (Secret phrase = generator.generate(new AgentPolicy("", 0, "full", 10, false, 30, 3600, AccountOptions.NONE))) {
                for (String word : phrase.reveal().split("-")) {
                    Integer at = index.get(word);
                    if (at != null) { // skip the halves of the few hyphenated words
                        counts[at]++;
                        draws++;
                    }
                }
            }
        }
        double expected = (double) draws / counts.length;
        double chiSquare = 0;
        for (int count : counts) {
            chiSquare += (count - expected) * (count - expected) / expected;
        }
        // 7775 degrees of freedom: mean 7775, standard deviation ~125. Six sigma either way.
        assertThat(chiSquare).isBetween(7775 - 6 * 125.0, 7775 + 6 * 125.0);
    }

    @Test
    void shippedWordListIsTheEffLongList() {
        WordList list = WordList.effLong();
        assertThat(list.size()).isEqualTo(7776);
        assertThat(list.get(0)).isEqualTo("abacus");
        assertThat(list.get(7775)).isEqualTo("zoom");
    }

    @Test
    void theWordListIsReadOnlyForAPassphrase() {
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        PasswordGenerator lazy = new PasswordGenerator(new SecureRandom(), () -> {
            reads.incrementAndGet();
            return WordList.effLong();
        });

        try (Secret characters = lazy.generate(chars(20, "full", false))) {
            assertThat(characters.length()).isEqualTo(20);
        }
        assertThat(reads).as("a character password needs no word list").hasValue(0);
        try (Secret phrase = lazy.generate(new AgentPolicy("", 0, "full", 5, false, 30, 3600, AccountOptions.NONE))) {
            assertThat(new String(phrase.chars()).split("-")).hasSize(5);
        }
        assertThat(reads).hasValue(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"11111\tAbacus", "11111\tab4cus", "11111\tab cus", "11111\t", "11111\tabacüs"})
    void aWordListEntryOutsideLowerCaseAndHyphenIsRefused(String entry) {
        String list = entry + "\n" + "11112\tabdomen\n";

        assertThatThrownBy(() -> WordList.parse(new java.io.BufferedReader(new java.io.StringReader(list))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("unexpected entry");
    }

    @Test
    void aWordListOfTheWrongSizeOrWithRepeatsIsRefused() {
        StringBuilder repeated = new StringBuilder();
        for (int i = 0; i < WordList.EFF_LONG_SIZE; i++) {
            repeated.append(i).append('\t').append(i == 1 ? "abacus" : "w-" + letters(i)).append('\n');
        }
        String tooShort = "11111\tabacus\n11112\tabdomen\n";

        assertThatThrownBy(() -> WordList.parse(new java.io.BufferedReader(new java.io.StringReader(tooShort))))
                .hasMessageContaining("7776 distinct words, has 2");
        assertThatThrownBy(() -> WordList.parse(new java.io.BufferedReader(new java.io.StringReader(
                repeated.toString().replaceFirst("w-" + letters(0), "abacus"))))).hasMessageContaining("distinct");
    }

    private static String letters(int n) {
        StringBuilder word = new StringBuilder();
        do {
            word.append((char) ('a' + n % 26));
            n /= 26;
        } while (n > 0);
        return word.toString();
    }

    @Test
    void unsafePoliciesAreRefusedWithTheFieldNamed() {
        assertThatThrownBy(() -> generate(chars(7, "full", false))).hasMessageContaining("policy length 7");
        assertThatThrownBy(() -> generate(chars(12, "emoji", false))).hasMessageContaining("complexity 'emoji'");
        assertThatThrownBy(() -> generate(new AgentPolicy("", 0, "full", 2, false, 30, 3600, AccountOptions.NONE)))
                .hasMessageContaining("passphraseWords 2");
    }

    @Test
    void passwordsDiffer() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            assertThat(seen.add(generate(chars(12, "full", false)))).isTrue();
        }
    }

    private static int splitIntoListWords(String phrase, Set<String> words) {
        String[] parts = phrase.split("-");
        int count = 0;
        int i = 0;
        while (i < parts.length) {
            if (i + 1 < parts.length && words.contains(parts[i] + "-" + parts[i + 1]) && !words.contains(parts[i])) {
                i += 2;
            } else {
                assertThat(words).contains(parts[i]);
                i++;
            }
            count++;
        }
        return count;
    }
}
