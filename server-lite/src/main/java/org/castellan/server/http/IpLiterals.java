package org.castellan.server.http;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Strict IP literal parsing that never touches DNS.
 *
 * <p>{@link InetAddress#getByName} would resolve a host name and accepts legacy IPv4 forms such
 * as {@code 10.1} or {@code 0x7f.1}; header values are attacker-controlled, so only dotted-quad
 * IPv4 and colon-hex IPv6 (optionally bracketed, optionally with a port) are accepted here.
 */
final class IpLiterals {
    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "\\." + OCTET + "\\." + OCTET + "\\." + OCTET);
    private static final Pattern IPV4_WITH_PORT = Pattern.compile("([0-9.]{7,15}):[0-9]{1,5}");
    private static final Pattern BRACKETED = Pattern.compile("\\[([0-9A-Fa-f:.]{2,45})\\](?::[0-9]{1,5})?");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private IpLiterals() {}

    /** The address, or empty when {@code text} is not an IP literal (host names included). */
    static Optional<InetAddress> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String s = text.strip();
        if (s.isEmpty() || s.length() > 64) {
            return Optional.empty();
        }
        Matcher bracketed = BRACKETED.matcher(s);
        if (bracketed.matches()) {
            return parseIpv6(bracketed.group(1));
        }
        Matcher withPort = IPV4_WITH_PORT.matcher(s);
        if (withPort.matches()) {
            return parseIpv4(withPort.group(1));
        }
        if (s.indexOf(':') >= 0) {
            return IPV6.matcher(s).matches() ? parseIpv6(s) : Optional.empty();
        }
        return parseIpv4(s);
    }

    private static Optional<InetAddress> parseIpv4(String s) {
        Matcher m = IPV4.matcher(s);
        if (!m.matches()) {
            return Optional.empty();
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            bytes[i] = (byte) Integer.parseInt(m.group(i + 1));
        }
        try {
            return Optional.of(InetAddress.getByAddress(bytes));
        } catch (UnknownHostException e) {
            return Optional.empty(); // cannot happen for 4 bytes
        }
    }

    private static Optional<InetAddress> parseIpv6(String s) {
        // The JDK only treats the string as a literal (never a name to resolve) when it starts
        // with a hex digit or ':' and contains a ':'.
        if (s.indexOf(':') < 0 || (Character.digit(s.charAt(0), 16) < 0 && s.charAt(0) != ':')) {
            return Optional.empty();
        }
        try {
            // With a ':' in it and only hex, ':' and '.', the JDK parses a literal and never
            // resolves; IPv4-mapped forms (::ffff:a.b.c.d) come back as Inet4Address.
            InetAddress address = InetAddress.getByName(s);
            if (address instanceof Inet6Address v6 && v6.getScopeId() != 0) {
                return Optional.empty();
            }
            return Optional.of(address);
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
