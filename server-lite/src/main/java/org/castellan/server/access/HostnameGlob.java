package org.castellan.server.access;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A hostname pattern where {@code *} matches any run of characters (including none) and
 * {@code ?} exactly one; everything else is literal and compared case-insensitively.
 *
 * <p>Matching is a hand-written two-pointer walk, not a regular expression, so a pattern can
 * neither inject regex syntax nor cause catastrophic backtracking: the worst case is
 * O(pattern × hostname) on at most 253 × 253 characters.
 */
public final class HostnameGlob {
    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9._*?-]{1,253}");

    private final String pattern; // lower-cased
    private final int literalLength;

    private HostnameGlob(String pattern) {
        this.pattern = pattern;
        int literals = 0;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c != '*' && c != '?') {
                literals++;
            }
        }
        this.literalLength = literals;
    }

    public static HostnameGlob compile(String pattern) {
        if (pattern == null || pattern.isEmpty()) {
            throw new IllegalArgumentException("hostname pattern is empty");
        }
        if (pattern.length() > 253) {
            throw new IllegalArgumentException("hostname pattern is longer than 253 characters ("
                    + pattern.length() + ")");
        }
        if (!ALLOWED.matcher(pattern).matches()) {
            throw new IllegalArgumentException("hostname pattern " + Refs.quoteShort(pattern)
                    + " may only contain A-Z a-z 0-9 . _ - and the wildcards * and ?");
        }
        return new HostnameGlob(pattern.toLowerCase(Locale.ROOT));
    }

    /** The number of non-wildcard characters: the measure of how specific the pattern is. */
    public int literalLength() {
        return literalLength;
    }

    public String pattern() {
        return pattern;
    }

    public boolean matches(String hostname) {
        if (hostname == null) {
            return false;
        }
        String text = hostname.toLowerCase(Locale.ROOT);
        int p = 0;
        int t = 0;
        int starP = -1; // position after the last '*' seen
        int starT = 0;  // text position that '*' currently extends to
        while (t < text.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
                p++;
                t++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                starP = ++p;
                starT = t;
            } else if (starP >= 0) {
                // Let the last '*' swallow one more character and retry from there.
                p = starP;
                t = ++starT;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostnameGlob other && other.pattern.equals(pattern);
    }

    @Override
    public int hashCode() {
        return pattern.hashCode();
    }

    @Override
    public String toString() {
        return pattern;
    }
}
