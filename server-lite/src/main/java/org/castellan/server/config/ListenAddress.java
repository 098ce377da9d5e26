package org.castellan.server.config;

/** HOST:PORT to bind; IPv6 hosts are written in brackets ({@code [::1]:8443}). */
public record ListenAddress(String host, int port) {

    public static ListenAddress parse(String text) {
        String value = text.trim();
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new IllegalArgumentException("listen address must be HOST:PORT, e.g. 0.0.0.0:8443");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("an IPv6 listen host must be in brackets, e.g. [::1]:8443");
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("listen port must be a number from 0 to 65535");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("listen port must be a number from 0 to 65535");
        }
        return new ListenAddress(host, port);
    }

    /** The host as it goes into a URL. */
    public String urlHost() {
        return host.contains(":") ? "[" + host + "]" : host;
    }
}
