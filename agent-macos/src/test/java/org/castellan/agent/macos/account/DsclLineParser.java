package org.castellan.agent.macos.account;

import java.util.ArrayList;
import java.util.List;

/**
 * A Java port of dscl's own interactive line splitter ({@code dscl_get_string} in Apple's DSTools
 * dscl.m), quirks included, so tests can check that what we write is what dscl will read.
 */
final class DsclLineParser {
    private DsclLineParser() {}

    static List<String> tokens(String line) {
        List<String> tokens = new ArrayList<>();
        int[] position = {0};
        String token;
        while ((token = next(line, position)) != null) {
            tokens.add(token);
        }
        return tokens;
    }

    private static String next(String s, int[] position) {
        int p = position[0];
        while (p < s.length() && (s.charAt(p) == ' ' || s.charAt(p) == '\t')) {
            p++;
        }
        if (p >= s.length()) {
            position[0] = p;
            return null;
        }
        boolean quote = false;
        if (s.charAt(p) == '"' || s.charAt(p) == '\'') {
            quote = true;
            p++;
        }
        int x = p;
        int i = 0;
        int esc = 0;
        while (x + i < s.length()) {
            char c = s.charAt(x + i);
            if (quote && (c == '"' || c == '\'')) {
                break;
            }
            if (!quote && (c == ' ' || c == '\t')) {
                break;
            }
            if (c == '\\') {
                if (esc == 0) {
                    esc = i; // the C code's quirk: an escape at index 0 is never recorded
                }
                i++;
                if (x + i >= s.length()) {
                    break;
                }
            }
            i++;
        }
        char[] buf = s.substring(x, Math.min(x + i, s.length())).toCharArray();
        int n = buf.length;
        if (quote) {
            i++;
        }
        position[0] = x + i;
        while (esc != 0) {
            int j = esc + 1;
            if (j < n && buf[j] == '\\') {
                j++;
            }
            esc = 0;
            for (; j < n; j++) {
                buf[j - 1] = buf[j];
                if (buf[j] == '\\' && esc == 0) {
                    esc = j - 1;
                }
            }
            n = j - 1;
        }
        return new String(buf, 0, n);
    }
}
