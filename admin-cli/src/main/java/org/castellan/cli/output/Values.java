package org.castellan.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders JSON values from the server as table cells. Works on trees rather than fixed types so
 * a field whose type the server changes (a flag that becomes an object) still prints.
 */
public final class Values {
    private Values() {}

    /** The field's text; {@code -} when absent or null. */
    public static String text(JsonNode parent, String field) {
        return parent == null ? "-" : text(parent.get(field));
    }

    public static String text(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "-";
        }
        if (value.isArray()) {
            if (value.isEmpty()) {
                return "-";
            }
            List<String> items = new ArrayList<>();
            value.forEach(item -> items.add(text(item)));
            return String.join(", ", items);
        }
        if (value.isObject()) {
            return value.toString();
        }
        return value.asText();
    }

    /** Joins two fields ("linux 6.1"), leaving out whichever is absent. */
    public static String joined(JsonNode parent, String first, String second) {
        String a = text(parent, first);
        String b = text(parent, second);
        if (a.equals("-")) {
            return b;
        }
        return b.equals("-") ? a : a + " " + b;
    }
}
