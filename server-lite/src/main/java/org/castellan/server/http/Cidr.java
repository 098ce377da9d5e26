package org.castellan.server.http;

import java.net.InetAddress;
import java.util.Arrays;

/** An address block such as {@code 10.0.0.0/8} or {@code fd00::/8}; a bare address is a /32 or /128. */
public final class Cidr {
    private final byte[] network;
    private final int prefixLength;
    private final String text;

    private Cidr(byte[] network, int prefixLength, String text) {
        this.network = network;
        this.prefixLength = prefixLength;
        this.text = text;
    }

    public static Cidr parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("trusted proxy CIDR is empty");
        }
        String s = text.strip();
        int slash = s.indexOf('/');
        String addressPart = slash < 0 ? s : s.substring(0, slash);
        InetAddress address = IpLiterals.parse(addressPart).orElseThrow(() -> new IllegalArgumentException(
                "trusted proxy CIDR " + quote(s) + " does not start with an IPv4 or IPv6 address"));
        byte[] bytes = address.getAddress();
        int maxBits = bytes.length * 8;
        int prefix = maxBits;
        if (slash >= 0) {
            String bits = s.substring(slash + 1);
            if (!bits.matches("[0-9]{1,3}") || Integer.parseInt(bits) > maxBits) {
                throw new IllegalArgumentException("trusted proxy CIDR " + quote(s)
                        + " needs a prefix length of 0.." + maxBits);
            }
            prefix = Integer.parseInt(bits);
        }
        return new Cidr(mask(bytes, prefix), prefix, s);
    }

    public boolean contains(InetAddress address) {
        byte[] candidate = address.getAddress();
        return candidate.length == network.length && Arrays.equals(mask(candidate, prefixLength), network);
    }

    public static byte[] mask(byte[] address, int prefixLength) {
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) {
            int bitsHere = Math.max(0, Math.min(8, prefixLength - i * 8));
            out[i] &= (byte) (0xff << (8 - bitsHere));
        }
        return out;
    }

    private static String quote(String s) {
        return s.length() > 60 ? "\"" + s.substring(0, 60) + "…\"" : "\"" + s + "\"";
    }

    @Override
    public String toString() {
        return text;
    }
}
