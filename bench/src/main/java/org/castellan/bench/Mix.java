package org.castellan.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The load's mix: weights per operation, e.g. {@code check-in=90,rotation=5,reveal=2,audit=1,list-first=0.5}.
 * Operations: {@value #CHECK_IN}, {@value #ROTATION} (escrow + commit), {@value #REVEAL}, {@value #AUDIT}
 * (one device's audit entries), {@value #LIST_FIRST} / {@value #LIST_DEEP} (the admin's first page of
 * devices, and the page after the deep cursor), {@value #SCOPED_FIRST} / {@value #SCOPED_DEEP} (the same
 * for a non-admin whose one rule reaches devices through a {@code web-*} host-name group).
 */
record Mix(Map<String, Double> weights) {
    static final String CHECK_IN = "check-in";
    static final String ROTATION = "rotation";
    static final String REVEAL = "reveal";
    static final String AUDIT = "audit";
    static final String LIST_FIRST = "list-first";
    static final String LIST_DEEP = "list-deep";
    static final String SCOPED_FIRST = "scoped-first";
    static final String SCOPED_DEEP = "scoped-deep";
    static final List<String> OPERATIONS = List.of(CHECK_IN, ROTATION, REVEAL, AUDIT, LIST_FIRST, LIST_DEEP, SCOPED_FIRST, SCOPED_DEEP);

    static Mix parse(String text) {
        Map<String, Double> weights = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            String[] kv = part.strip().split("=", 2);
            String name = kv[0].strip().toLowerCase(Locale.ROOT);
            if (!OPERATIONS.contains(name)) {
                throw new IllegalArgumentException("--mix: unknown operation \"" + name + "\" (known: " + String.join(", ", OPERATIONS) + ")");
            }
            double w;
            try {
                w = kv.length == 2 ? Double.parseDouble(kv[1].strip()) : 1;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--mix: the weight of " + name + " is not a number");
            }
            if (w < 0 || Double.isNaN(w) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("--mix: the weight of " + name + " must be 0 or more");
            }
            weights.merge(name, w, Double::sum);
        }
        if (weights.values().stream().mapToDouble(Double::doubleValue).sum() <= 0) {
            throw new IllegalArgumentException("--mix: at least one operation needs a weight above 0");
        }
        return new Mix(Map.copyOf(weights));
    }

    /** The operation for a uniform random number in [0, 1). */
    String pick(double r) {
        double total = weights.values().stream().mapToDouble(Double::doubleValue).sum();
        double at = r * total;
        for (String op : OPERATIONS) {
            double w = weights.getOrDefault(op, 0.0);
            if (at < w) {
                return op;
            }
            at -= w;
        }
        return OPERATIONS.stream().filter(op -> weights.getOrDefault(op, 0.0) > 0).reduce((a, b) -> b).orElseThrow();
    }

    boolean has(String operation) {
        return weights.getOrDefault(operation, 0.0) > 0;
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (String op : OPERATIONS) {
            if (has(op)) {
                out.append(out.length() == 0 ? "" : ",").append(op).append('=').append(weights.get(op));
            }
        }
        return out.toString();
    }
}
