package org.castellan.server.http;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 that refuses rather than repairs: the JDK decoder set to REPORT rejects overlong forms,
 * encoded surrogates (CESU-8), code points above U+10FFFF and truncated sequences. Decoding with
 * {@code new String(bytes, UTF_8)} would silently turn each into U+FFFD.
 */
public final class StrictUtf8 {
    private StrictUtf8() {}

    public static String decode(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
    }

    /** True when every surrogate in {@code text} is half of a proper pair (JSON {@code \\ud800} escapes can break this). */
    public static boolean wellFormedUtf16(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
