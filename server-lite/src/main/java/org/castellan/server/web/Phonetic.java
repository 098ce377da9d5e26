package org.castellan.server.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A password read out over the phone: NATO letters (capitals named), digits and symbols by name. */
final class Phonetic {
    private static final String[] LETTERS = {"alfa", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel",
            "india", "juliett", "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra",
            "tango", "uniform", "victor", "whiskey", "x-ray", "yankee", "zulu"};
    private static final String[] DIGITS = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
            "nine"};
    private static final Map<Character, String> SYMBOLS = Map.ofEntries(Map.entry('!', "exclamation mark"),
            Map.entry('"', "double quote"), Map.entry('#', "hash"), Map.entry('$', "dollar"), Map.entry('%', "percent"),
            Map.entry('&', "ampersand"), Map.entry('\'', "apostrophe"), Map.entry('(', "open parenthesis"),
            Map.entry(')', "close parenthesis"), Map.entry('*', "asterisk"), Map.entry('+', "plus"),
            Map.entry(',', "comma"), Map.entry('-', "hyphen"), Map.entry('.', "full stop"), Map.entry('/', "slash"),
            Map.entry(':', "colon"), Map.entry(';', "semicolon"), Map.entry('<', "less-than"), Map.entry('=', "equals"),
            Map.entry('>', "greater-than"), Map.entry('?', "question mark"), Map.entry('@', "at sign"),
            Map.entry('[', "open bracket"), Map.entry('\\', "backslash"), Map.entry(']', "close bracket"),
            Map.entry('^', "caret"), Map.entry('_', "underscore"), Map.entry('`', "backtick"),
            Map.entry('{', "open brace"), Map.entry('|', "vertical bar"), Map.entry('}', "close brace"),
            Map.entry('~', "tilde"), Map.entry(' ', "space"));

    private Phonetic() {}

    static List<String> spell(char[] password) {
        List<String> words = new ArrayList<>(password.length);
        for (char ch : password) {
            if (ch >= 'a' && ch <= 'z') {
                words.add(LETTERS[ch - 'a']);
            } else if (ch >= 'A' && ch <= 'Z') {
                words.add("capital " + LETTERS[ch - 'A'].toUpperCase(java.util.Locale.ROOT));
            } else if (ch >= '0' && ch <= '9') {
                words.add(DIGITS[ch - '0']);
            } else {
                words.add(SYMBOLS.getOrDefault(ch, "character U+" + String.format("%04X", (int) ch)));
            }
        }
        return words;
    }
}
