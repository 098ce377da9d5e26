package org.castellan.agent.macos.filevault;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.castellan.protocol.Secret;

/**
 * The authentication plist fdesetup reads on stdin with {@code -inputplist}. Built in a char
 * buffer, not a String, so the password can be wiped once it has been written.
 */
final class FdesetupInput {
    private FdesetupInput() {}

    /** UTF-8 bytes of {@code {Username: user, Password: secret}}; the caller wipes them. */
    static byte[] credentials(String user, Secret password) {
        StringBuilder head = new StringBuilder()
                .append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n")
                .append("<plist version=\"1.0\">\n<dict>\n");
        if (user != null) {
            head.append("\t<key>Username</key>\n\t<string>").append(escape(user.toCharArray())).append("</string>\n");
        }
        head.append("\t<key>Password</key>\n\t<string>");
        String tail = "</string>\n</dict>\n</plist>\n";
        char[] secret = password.chars();
        char[] escaped = escape(secret);
        char[] all = new char[head.length() + escaped.length + tail.length()];
        head.getChars(0, head.length(), all, 0);
        System.arraycopy(escaped, 0, all, head.length(), escaped.length);
        tail.getChars(0, tail.length(), all, head.length() + escaped.length);
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(all));
        byte[] out = new byte[bytes.remaining()];
        bytes.get(out);
        Arrays.fill(bytes.array(), (byte) 0);
        Arrays.fill(secret, '\0');
        Arrays.fill(escaped, '\0');
        Arrays.fill(all, '\0');
        return out;
    }

    private static char[] escape(char[] value) {
        char[] out = new char[value.length * 6];
        int n = 0;
        for (char c : value) {
            String entity = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&apos;";
                default -> null;
            };
            if (entity != null) {
                entity.getChars(0, entity.length(), out, n);
                n += entity.length();
            } else {
                out[n++] = c;
            }
        }
        char[] exact = Arrays.copyOf(out, n);
        Arrays.fill(out, '\0');
        return exact;
    }
}
