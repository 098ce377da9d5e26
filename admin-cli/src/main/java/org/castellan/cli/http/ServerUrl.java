package org.castellan.cli.http;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The server's base URL: https, a host, a port, and any path prefix a reverse proxy mounts the
 * server under. Request URLs are built from it with every path segment and query value
 * percent-encoded, so an id, a name or a reason with spaces, slashes, {@code ?} or {@code &}
 * cannot change a request's shape.
 */
public final class ServerUrl {
    private final String host;
    private final int port;
    private final List<String> prefix;

    private ServerUrl(String host, int port, List<String> prefix) {
        this.host = host;
        this.port = port;
        this.prefix = List.copyOf(prefix);
    }

    /** Why a URL given by the user is refused: a whole sentence, quoting the URL unless it holds a credential. */
    public static final class Refused extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    private static Refused refused(String given, String why) {
        return new Refused("server URL '" + given + "' " + why);
    }

    /**
     * {@code given}, with {@code https://} assumed when it names no scheme and a pasted API root
     * ({@code …/api/v1}) taken back to the server's base.
     */
    public static ServerUrl parse(String given) {
        String withScheme = given.contains("://") ? given : "https://" + given;
        URI uri;
        try {
            uri = new URI(asciiHost(withScheme)).parseServerAuthority();
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw refused(given, "is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw refused(given, "is not a valid URL");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty() || uri.getPort() > 65535) {
            throw refused(given, "is not a valid URL");
        }
        if (!scheme.equals("https")) {
            throw refused(given, "must use https: the server only speaks HTTPS and the token must not travel in clear");
        }
        if (uri.getRawUserInfo() != null) {
            throw new Refused("server URL must not hold a user name or password");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw refused(given, "must not have a query or fragment");
        }
        List<String> segments = new ArrayList<>();
        for (String segment : (uri.getRawPath() == null ? "" : uri.getRawPath()).split("/")) {
            if (!segment.isEmpty()) {
                segments.add(segment);
            }
        }
        // People paste the API root (https://host:8443/api/v1); requests add that part themselves.
        int size = segments.size();
        if (size >= 2 && segments.get(size - 2).equals("api") && segments.get(size - 1).equals("v1")) {
            segments = segments.subList(0, size - 2);
        }
        return new ServerUrl(uri.getHost().toLowerCase(Locale.ROOT), uri.getPort() == -1 ? 443 : uri.getPort(), segments);
    }

    /**
     * {@code url} with an internationalised host name in its ASCII (punycode) form, which is what
     * DNS and the certificate hold: {@code bücher.example} is {@code xn--bcher-kva.example}.
     *
     * @throws IllegalArgumentException when the name is not a valid internationalised domain name
     */
    private static String asciiHost(String url) {
        if (url.chars().allMatch(c -> c < 0x80)) {
            return url;
        }
        int start = url.indexOf("://") + 3;
        int end = start;
        while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
            end++;
        }
        int at = url.lastIndexOf('@', end - 1);
        int hostStart = at >= start ? at + 1 : start;
        if (hostStart < end && url.charAt(hostStart) == '[') {
            return url; // an IPv6 literal: nothing to convert
        }
        int colon = url.lastIndexOf(':', end - 1);
        int hostEnd = colon >= hostStart ? colon : end;
        String host = java.net.IDN.toASCII(url.substring(hostStart, hostEnd));
        return url.substring(0, hostStart) + host + url.substring(hostEnd);
    }

    /** The host as a URL names it (an IPv6 address in brackets). */
    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** {@code https://HOST:PORT}, for messages. */
    public String origin() {
        return "https://" + host + ":" + port;
    }

    /** The URL of {@code /api/v1/SEGMENTS?QUERY} under this server. */
    URI resolve(List<String> segments, Map<String, String> query) {
        StringBuilder url = originAndPrefix().append("/api/v1");
        for (String segment : segments) {
            url.append('/');
            // "." and ".." would be taken as steps up the path: spelled encoded, they are only names.
            url.append(segment.equals(".") || segment.equals("..") ? segment.replace(".", "%2E") : encoded(segment));
        }
        char separator = '?';
        for (Map.Entry<String, String> parameter : query.entrySet()) {
            url.append(separator).append(encoded(parameter.getKey())).append('=').append(encoded(parameter.getValue()));
            separator = '&';
        }
        return URI.create(url.toString());
    }

    /** UTF-8, every byte but RFC 3986's unreserved characters percent-encoded. */
    static String encoded(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() + 16);
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                out.write(c);
            } else {
                out.write('%');
                out.write(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
                out.write(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString(StandardCharsets.US_ASCII);
    }

    private StringBuilder originAndPrefix() {
        StringBuilder url = new StringBuilder(origin());
        prefix.forEach(segment -> url.append('/').append(segment));
        return url;
    }

    @Override
    public String toString() {
        return originAndPrefix().append('/').toString();
    }
}
