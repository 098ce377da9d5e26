package org.castellan.server.http;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the client address to key limits on, trusting {@code X-Forwarded-For} only as far as
 * configured proxies vouch for it.
 *
 * <p>If the socket peer is not a trusted proxy, the header is ignored (anyone can send one).
 * Otherwise the header's hops are walked from the right (the hop our proxy added) to the left;
 * the first hop that is not itself a trusted proxy is the client. Everything further left was
 * written by that client and may be forged. A malformed hop stops the walk: the last trusted
 * proxy is answered, which is the conservative choice (clients behind it share its limit).
 * If every hop is a trusted proxy, the left-most is answered.
 */
public final class ClientAddressResolver {
    private static final int MAX_HOPS = 64;

    private final List<Cidr> trustedProxies;

    public ClientAddressResolver(List<String> trustedProxyCidrs) {
        List<Cidr> parsed = new ArrayList<>();
        for (String cidr : trustedProxyCidrs) {
            parsed.add(Cidr.parse(cidr));
        }
        this.trustedProxies = List.copyOf(parsed);
    }

    /** No trusted proxies: the socket address is always the answer. */
    public static ClientAddressResolver direct() {
        return new ClientAddressResolver(List.of());
    }

    /**
     * @param socketAddress the peer's IP as the server socket reports it ({@code 192.0.2.1},
     *     {@code 2001:db8::1} or {@code [2001:db8::1]})
     * @param forwardedFor every {@code X-Forwarded-For} header value in order of appearance (may
     *     be empty)
     * @throws IllegalArgumentException if {@code socketAddress} is not an IP literal
     */
    public InetAddress resolve(String socketAddress, List<String> forwardedFor) {
        InetAddress peer = IpLiterals.parse(socketAddress).orElseThrow(() ->
                new IllegalArgumentException("socket address is not an IP literal"));
        return resolve(peer, forwardedFor);
    }

    public InetAddress resolve(InetAddress peer, List<String> forwardedFor) {
        if (!isTrustedProxy(peer) || forwardedFor == null || forwardedFor.isEmpty()) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        for (String value : forwardedFor) {
            if (value != null) {
                for (String hop : value.split(",", -1)) {
                    hops.add(hop);
                }
            }
        }
        InetAddress current = peer;
        int walked = 0;
        for (int i = hops.size() - 1; i >= 0 && walked < MAX_HOPS; i--, walked++) {
            InetAddress hop = IpLiterals.parse(hops.get(i)).orElse(null);
            if (hop == null) {
                return current;
            }
            if (!isTrustedProxy(hop)) {
                return hop;
            }
            current = hop;
        }
        return current;
    }

    public boolean isTrustedProxy(InetAddress address) {
        for (Cidr cidr : trustedProxies) {
            if (cidr.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
