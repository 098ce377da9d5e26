package org.castellan.server.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;

/**
 * Checks a raw query string: every {@code %} starts two hex digits, the decoded bytes are strict
 * UTF-8 (no overlong forms, surrogates or code points above U+10FFFF). A lenient decoder would
 * otherwise pass {@code %zz} through literally or replace bad bytes with U+FFFD, so what is checked
 * and stored differs from what was sent. Control characters are left to each parameter's own
 * check, which names the parameter ({@code invalid-reason}, {@code invalid-hostname}).
 */
final class QueryStrings {
    private QueryStrings() {}

    static boolean wellFormed(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return true;
        }
        for (String part : rawQuery.split("[&=]", -1)) {
            byte[] decoded = percentDecode(part);
            if (decoded == null) {
                return false;
            }
            try {
                StrictUtf8.decode(decoded);
            } catch (CharacterCodingException e) {
                return false;
            }
        }
        return true;
    }

    /** The bytes, or null when a {@code %} is not followed by two hex digits or a raw byte is not ASCII. */
    static byte[] percentDecode(String part) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(part.length());
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c == '%') {
                if (i + 2 >= part.length()) {
                    return null;
                }
                int hi = Character.digit(part.charAt(i + 1), 16);
                int lo = Character.digit(part.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else if (c == '+') {
                out.write(' ');
            } else if (c > 0x7e) {
                return null;
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }
}
