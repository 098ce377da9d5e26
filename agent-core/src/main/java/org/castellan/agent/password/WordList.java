package org.castellan.agent.password;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * The EFF long word list (7,776 words, five dice each), shipped as a resource. By the Electronic
 * Frontier Foundation, licensed CC BY 3.0 US: see {@code eff_large_wordlist.NOTICE} beside it.
 */
public final class WordList {
    public static final int EFF_LONG_SIZE = 7776;
    private static final String RESOURCE = "eff_large_wordlist.txt";

    private final List<String> words;

    private WordList(List<String> words) {
        this.words = List.copyOf(words);
    }

    /** The shipped EFF long list, checked for size and duplicates. */
    public static WordList effLong() {
        return Holder.EFF_LONG;
    }

    private static final class Holder {
        static final WordList EFF_LONG = load();
    }

    private static WordList load() {
        try (InputStream in = WordList.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("word list resource " + RESOURCE + " is missing from the agent");
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("read word list " + RESOURCE, e);
        }
    }

    /** Parses the EFF format: {@code 11111<TAB>abacus}, one per line. */
    static WordList parse(BufferedReader reader) throws IOException {
        List<String> words = new ArrayList<>(EFF_LONG_SIZE);
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            int tab = line.indexOf('\t');
            String word = (tab < 0 ? line : line.substring(tab + 1)).strip();
            if (!lowerCaseOrHyphen(word)) {
                throw new IllegalStateException("word list has an unexpected entry: " + line);
            }
            words.add(word);
        }
        if (words.size() != EFF_LONG_SIZE || new HashSet<>(words).size() != words.size()) {
            throw new IllegalStateException("word list must hold " + EFF_LONG_SIZE + " distinct words, has "
                    + words.size());
        }
        return new WordList(words);
    }

    /** {@code [a-z-]+}, without a regular expression compiled per line (7,776 of them, when the agent starts cold). */
    private static boolean lowerCaseOrHyphen(String word) {
        if (word.isEmpty()) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if ((c < 'a' || c > 'z') && c != '-') {
                return false;
            }
        }
        return true;
    }

    public int size() {
        return words.size();
    }

    public String get(int index) {
        return words.get(index);
    }
}
