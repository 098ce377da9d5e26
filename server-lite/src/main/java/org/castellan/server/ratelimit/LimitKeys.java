package org.castellan.server.ratelimit;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HexFormat;
import org.castellan.server.http.Cidr;

/** The keys limits are counted under, so principals and addresses never collide. */
public final class LimitKeys {
    private LimitKeys() {}

    /** For an authenticated principal, e.g. {@code principal:user:42}. */
    public static String principal(String principalRef) {
        return "principal:" + principalRef;
    }

    /**
     * For an unauthenticated client address. IPv6 clients are keyed by their /64, because one
     * host usually owns a whole /64 and could otherwise take a fresh address per request.
     */
    public static String address(InetAddress address) {
        if (address instanceof Inet6Address) {
            byte[] prefix = Cidr.mask(address.getAddress(), 64);
            return "addr6:" + HexFormat.of().formatHex(prefix, 0, 8) + "::/64";
        }
        return "addr4:" + address.getHostAddress();
    }
}
