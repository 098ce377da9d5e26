package org.castellan.agent.password;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.castellan.protocol.Secret;
import org.castellan.protocol.messages.AgentPolicy;
import org.passay.UnicodeString;
import org.passay.data.CharacterData;
import org.passay.rule.CharacterRule;

/**
 * Makes new passwords as the policy says: characters (Passay, at least one of each required class)
 * or a passphrase of words from the EFF long list. All randomness comes from one
 * {@link SecureRandom}.
 */
public final class PasswordGenerator {
    public static final String FULL = "full";
    public static final String ALPHANUMERIC = "alphanumeric";
    public static final int MIN_LENGTH = 8;
    public static final int MAX_LENGTH = 256;
    public static final int MIN_WORDS = 3;
    public static final int MAX_WORDS = 20;

    static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
    static final String DIGITS = "0123456789";
    /**
     * Symbols people can type on any keyboard layout and paste into a shell or a login box
     * without quoting trouble: no quotes, backtick, backslash, pipe or space. On every platform:
     * {@code " ' \} also break dscl's line splitter on macOS (refused there at a password's start).
     */
    static final String SYMBOLS = "!#$%&()*+,-./:;<=>?@[]^_{}~";
    /** Characters confused when read aloud or off a screen (0/O/o/D/Q, 1/l/I/i/|/!, tiny marks). */
    public static final String LOOKALIKES = "0OoDQ1lIi|!`'\",.;:";

    private final SecureRandom random;
    /** Read when a passphrase is first made: a check-in with no rotation due never parses it. */
    private final java.util.function.Supplier<WordList> words;

    public PasswordGenerator(SecureRandom random) {
        this.random = random;
        this.words = WordList::effLong;
    }

    PasswordGenerator(SecureRandom random, java.util.function.Supplier<WordList> words) {
        this.random = random;
        this.words = words;
    }

    /**
     * @throws IllegalArgumentException if the policy asks for something unsafe or unknown; the
     *     message says which field
     */
    public Secret generate(AgentPolicy policy) {
        if (policy.passphraseWords() > 0) {
            return passphrase(policy.passphraseWords());
        }
        return characters(policy.length(), policy.complexity(), policy.excludeLookalikes());
    }

    private Secret characters(int length, String complexity, boolean excludeLookalikes) {
        if (length < MIN_LENGTH || length > MAX_LENGTH) {
            throw new IllegalArgumentException("policy length " + length + " is outside "
                    + MIN_LENGTH + ".." + MAX_LENGTH);
        }
        List<CharacterRule> rules = new ArrayList<>();
        rules.add(rule("upper", UPPER, excludeLookalikes));
        rules.add(rule("lower", LOWER, excludeLookalikes));
        rules.add(rule("digit", DIGITS, excludeLookalikes));
        String mode = complexity == null || complexity.isEmpty() ? FULL : complexity;
        if (FULL.equals(mode)) {
            rules.add(rule("symbol", SYMBOLS, excludeLookalikes));
        } else if (!ALPHANUMERIC.equals(mode)) {
            throw new IllegalArgumentException("policy complexity '" + complexity + "' is not one of "
                    + FULL + ", " + ALPHANUMERIC);
        }
        // Passay appends one character per rule, fills the rest from the union of all classes,
        // then shuffles, all with our SecureRandom.
        UnicodeString generated = new org.passay.generate.PasswordGenerator(random, length, 10, rules).generate();
        char[] chars = generated.toCharArray();
        generated.clear();
        return Secret.adopt(chars);
    }

    private Secret passphrase(int count) {
        if (count < MIN_WORDS || count > MAX_WORDS) {
            throw new IllegalArgumentException("policy passphraseWords " + count + " is outside "
                    + MIN_WORDS + ".." + MAX_WORDS);
        }
        WordList words = this.words.get();
        String[] chosen = new String[count];
        int length = count - 1;
        for (int i = 0; i < count; i++) {
            // nextInt(bound) rejects out-of-range draws internally: uniform, no modulo bias.
            chosen[i] = words.get(random.nextInt(words.size()));
            length += chosen[i].length();
        }
        char[] out = new char[length];
        int at = 0;
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                out[at++] = '-';
            }
            chosen[i].getChars(0, chosen[i].length(), out, at);
            at += chosen[i].length();
            chosen[i] = null;
        }
        return Secret.adopt(out);
    }

    private static CharacterRule rule(String name, String characters, boolean excludeLookalikes) {
        String allowed = excludeLookalikes ? without(characters, LOOKALIKES) : characters;
        return new CharacterRule(new Characters(name, allowed), 1);
    }

    static String without(String characters, String remove) {
        StringBuilder kept = new StringBuilder(characters.length());
        for (char c : characters.toCharArray()) {
            if (remove.indexOf(c) < 0) {
                kept.append(c);
            }
        }
        return kept.toString();
    }

    private record Characters(String errorCode, String characters) implements CharacterData {
        @Override
        public String getErrorCode() {
            return "INSUFFICIENT_" + errorCode.toUpperCase(java.util.Locale.ROOT);
        }

        @Override
        public String getCharacters() {
            return characters;
        }
    }
}
