package org.castellan.agent.linux;

import java.util.LinkedHashMap;
import java.util.Map;

/** Parses os-release(5) text: {@code KEY=value} lines, values optionally quoted, shell escapes. */
final class OsReleaseParser {
    private OsReleaseParser() {}

    static Map<String, String> parse(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String raw : text.split("\\R")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = line.substring(0, eq).strip();
            if (!key.matches("[A-Za-z0-9_]+")) {
                continue;
            }
            values.put(key, unquote(line.substring(eq + 1).strip()));
        }
        return values;
    }

    /** PRETTY_NAME, else NAME VERSION, else "Linux". */
    static String prettyName(String text) {
        Map<String, String> values = parse(text);
        String pretty = values.get("PRETTY_NAME");
        if (pretty != null && !pretty.isBlank()) {
            return pretty;
        }
        String name = values.getOrDefault("NAME", "Linux");
        String version = values.get("VERSION");
        return version == null ? name : name + " " + version;
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.charAt(0) == '"' || value.charAt(0) == '\'')
                && value.charAt(value.length() - 1) == value.charAt(0)) {
            char quote = value.charAt(0);
            String inner = value.substring(1, value.length() - 1);
            if (quote == '\'') {
                return inner;
            }
            StringBuilder out = new StringBuilder(inner.length());
            for (int i = 0; i < inner.length(); i++) {
                char c = inner.charAt(i);
                if (c == '\\' && i + 1 < inner.length() && "\"\\$`".indexOf(inner.charAt(i + 1)) >= 0) {
                    c = inner.charAt(++i);
                }
                out.append(c);
            }
            return out.toString();
        }
        return value;
    }
}
