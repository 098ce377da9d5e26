package org.castellan.agent.macos.service;

import java.util.List;
import java.util.Map;

/**
 * Writes an XML property list from plain values (Map with String keys → dict, List → array,
 * String → string, Boolean → true/false, Integer/Long → integer), escaping text so that arguments
 * with {@code & < > " '} stay data. Keys are written in the map's iteration order.
 */
public final class PlistWriter {
    private PlistWriter() {}

    public static String write(Map<String, ?> dict) {
        StringBuilder out = new StringBuilder();
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        out.append("<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n");
        out.append("<plist version=\"1.0\">\n");
        value(out, dict, 0);
        out.append("</plist>\n");
        return out.toString();
    }

    private static void value(StringBuilder out, Object value, int depth) {
        String indent = "\t".repeat(depth);
        if (value instanceof Map<?, ?> map) {
            out.append(indent).append("<dict>\n");
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!(entry.getKey() instanceof String key)) {
                    throw new IllegalArgumentException("plist dict keys must be strings");
                }
                out.append(indent).append('\t').append("<key>").append(escape(key)).append("</key>\n");
                value(out, entry.getValue(), depth + 1);
            }
            out.append(indent).append("</dict>\n");
        } else if (value instanceof List<?> list) {
            out.append(indent).append("<array>\n");
            for (Object item : list) {
                value(out, item, depth + 1);
            }
            out.append(indent).append("</array>\n");
        } else if (value instanceof String text) {
            out.append(indent).append("<string>").append(escape(text)).append("</string>\n");
        } else if (value instanceof Boolean flag) {
            out.append(indent).append(flag ? "<true/>" : "<false/>").append('\n');
        } else if (value instanceof Integer || value instanceof Long) {
            out.append(indent).append("<integer>").append(value).append("</integer>\n");
        } else {
            throw new IllegalArgumentException("no plist form for " + (value == null ? "null" : value.getClass().getSimpleName()));
        }
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> {
                    // XML 1.0 cannot carry other control characters at all, not even escaped.
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                        throw new IllegalArgumentException("plist text holds control character U+" + String.format("%04X", (int) c));
                    }
                    out.append(c);
                }
            }
        }
        return out.toString();
    }
}
