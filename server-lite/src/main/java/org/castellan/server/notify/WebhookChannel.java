package org.castellan.server.notify;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import org.castellan.protocol.Secret;

/**
 * Where a channel's events go and the secret they are signed with.
 *
 * <p>{@link #toString()} names the channel only: webhook URLs often embed access tokens, so the
 * URL, like the secret, stays out of logs.
 */
public record WebhookChannel(String id, String name, URI url, Secret secret) {
    public WebhookChannel {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(secret, "secret");
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new IllegalArgumentException("webhook channel " + id + " url must be http or https");
        }
        if (url.getHost() == null) {
            throw new IllegalArgumentException("webhook channel " + id + " url has no host");
        }
    }

    @Override
    public String toString() {
        return "WebhookChannel[id=" + id + ", name=" + name + "]";
    }
}
