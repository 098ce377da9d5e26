package org.castellan.server.notify;

import java.util.Optional;

/** Looks channels up by id at delivery time, so edited URLs and rotated secrets take effect. */
@FunctionalInterface
public interface WebhookChannels {
    Optional<WebhookChannel> find(String channelId);
}
