package org.castellan.server.devices;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Host names close to a mistyped one (at most two edits, fewer than half the name, as picocli
 * suggests subcommands), among the devices a predicate (the caller's access) lets through, found
 * with a bounded amount of work whatever the fleet's size: every name one edit away is looked up
 * exactly through the host-name index, and a bounded window of names sharing the typed name's
 * first half is read for two-edit typos. Never a scan of every device.
 */
public final class CloseHostnames {
    /** Host-name characters (lower case) an edit may insert or substitute. */
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789-._";
    /** Longer names get only the prefix window: their one-edit variants would be too many to look up. */
    private static final int MAX_VARIANT_LENGTH = 64;
    /** How many devices sharing the prefix are read at most. */
    static final int PREFIX_WINDOW = 500;
    private static final int MAX = 3;

    private CloseHostnames() {}

    /** At most three devices whose host names are close to {@code typed}, nearest first. */
    public static List<Device> find(Connection c, DeviceStore devices, String typed, boolean deleted,
                                    Predicate<Device> visible) throws SQLException {
        String t = typed.toLowerCase(Locale.ROOT);
        int limit = Math.min(2, Math.max(1, t.length() / 2 - 1));
        List<Device> candidates = new ArrayList<>();
        if (t.length() <= MAX_VARIANT_LENGTH) {
            candidates.addAll(devices.byHostnames(c, oneEditAway(t), deleted, PREFIX_WINDOW));
        }
        if (!deleted) {
            candidates.addAll(devices.searchPrefix(c, t.substring(0, Math.max(1, t.length() / 2)), null, PREFIX_WINDOW));
        }
        record Scored(Device device, int distance) {}
        Map<String, Scored> byName = new LinkedHashMap<>();
        for (Device d : candidates) {
            String name = d.hostname().toLowerCase(Locale.ROOT);
            int distance = distance(t, name);
            if (distance > 0 && distance <= limit && !byName.containsKey(name) && visible.test(d)) {
                byName.put(name, new Scored(d, distance));
            }
        }
        return byName.values().stream()
                .sorted(Comparator.comparingInt(Scored::distance).thenComparing(s -> s.device().hostname()))
                .limit(MAX).map(Scored::device).toList();
    }

    /** Every string one insertion, deletion, substitution or swap of neighbours away from {@code t}. */
    static Set<String> oneEditAway(String t) {
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i <= t.length(); i++) {
            String head = t.substring(0, i);
            String tail = t.substring(i);
            for (char ch : ALPHABET.toCharArray()) {
                out.add(head + ch + tail);
                if (i < t.length()) {
                    out.add(head + ch + tail.substring(1));
                }
            }
            if (i < t.length()) {
                out.add(head + tail.substring(1));
            }
            if (i + 1 < t.length()) {
                out.add(head + tail.charAt(1) + tail.charAt(0) + tail.substring(2));
            }
        }
        out.remove(t);
        out.remove("");
        return out;
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
}
