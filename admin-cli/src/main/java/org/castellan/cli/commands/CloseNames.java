package org.castellan.cli.commands;

import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * Names close to a mistyped one, as picocli suggests subcommands: at most two edits (insert,
 * delete, replace, swap two neighbours), and fewer than half the name; nearest first.
 */
final class CloseNames {
    private static final int MAX = 3;

    private CloseNames() {}

    static List<String> to(String typed, Collection<String> names) {
        String t = typed.toLowerCase(Locale.ROOT);
        int limit = Math.min(2, Math.max(1, t.length() / 2 - 1));
        record Scored(String name, int distance) {}
        return new LinkedHashSet<>(names).stream()
                .map(n -> new Scored(n, distance(t, n.toLowerCase(Locale.ROOT))))
                .filter(s -> s.distance() > 0 && s.distance() <= limit)
                .sorted(Comparator.comparingInt(Scored::distance).thenComparing(Scored::name))
                .limit(MAX).map(Scored::name).toList();
    }

    /** Optimal string alignment distance (Damerau-Levenshtein without repeated edits of a substring). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    /** {@code "; did you mean a, b?"}, or nothing. */
    static String hint(List<String> close) {
        return close.isEmpty() ? "" : "; did you mean " + String.join(", ", close) + "?";
    }
}
