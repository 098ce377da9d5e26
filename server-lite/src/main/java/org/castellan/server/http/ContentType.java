package org.castellan.server.http;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code Content-Type} value parsed by RFC 9110 section 8.3.1: {@code type "/" subtype *( OWS ";"
 * OWS parameter )}, a parameter being {@code token "=" ( token / quoted-string )}. Anything else
 * (a missing subtype, a parameter without a value, stray characters, a repeated parameter) is
 * malformed and the request is refused rather than guessed at.
 *
 * @param mediaType {@code type/subtype}, lower case
 * @param parameters names in lower case; values as sent (quotes and escapes removed)
 */
public record ContentType(String mediaType, Map<String, String> parameters) {
    private static final String TCHAR = "!#$%&'*+-.^_`|~";

    public static boolean wellFormed(String value) {
        return parse(value).isPresent();
    }

    public static Optional<ContentType> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        Cursor at = new Cursor(value);
        at.skipSpace();
        String type = at.token();
        if (type.isEmpty() || !at.take('/')) {
            return Optional.empty();
        }
        String subtype = at.token();
        if (subtype.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        while (true) {
            at.skipSpace();
            if (at.done()) {
                break;
            }
            if (!at.take(';')) {
                return Optional.empty();
            }
            at.skipSpace();
            if (at.done()) {
                break; // a trailing ";" is allowed by the grammar (an empty parameter)
            }
            String name = at.token().toLowerCase(Locale.ROOT);
            if (name.isEmpty() || !at.take('=')) {
                return Optional.empty();
            }
            String parameterValue = at.peek() == '"' ? at.quoted() : at.token();
            if (parameterValue == null || parameterValue.isEmpty() && at.previous() != '"') {
                return Optional.empty();
            }
            if (parameters.put(name, parameterValue) != null) {
                return Optional.empty();
            }
        }
        return Optional.of(new ContentType((type + "/" + subtype).toLowerCase(Locale.ROOT), Map.copyOf(parameters)));
    }

    private static final class Cursor {
        private final String text;
        private int i;

        Cursor(String text) {
            this.text = text;
        }

        boolean done() {
            return i >= text.length();
        }

        char peek() {
            return done() ? 0 : text.charAt(i);
        }

        char previous() {
            return i == 0 ? 0 : text.charAt(i - 1);
        }

        boolean take(char c) {
            if (peek() == c && !done()) {
                i++;
                return true;
            }
            return false;
        }

        void skipSpace() {
            while (!done() && (peek() == ' ' || peek() == '\t')) {
                i++;
            }
        }

        String token() {
            int start = i;
            while (!done() && isTchar(peek())) {
                i++;
            }
            return text.substring(start, i);
        }

        /** A quoted-string without its quotes, or null when it is not closed or holds a control character. */
        String quoted() {
            StringBuilder out = new StringBuilder();
            i++; // opening quote
            while (!done()) {
                char c = text.charAt(i++);
                if (c == '"') {
                    return out.toString();
                }
                if (c == '\\') {
                    if (done()) {
                        return null;
                    }
                    c = text.charAt(i++);
                }
                if (c < 0x20 && c != '\t' || c == 0x7f || c > 0xff) {
                    return null;
                }
                out.append(c);
            }
            return null;
        }

        private static boolean isTchar(char c) {
            return c < 0x7f && (Character.isLetterOrDigit(c) || TCHAR.indexOf(c) >= 0);
        }
    }
}
