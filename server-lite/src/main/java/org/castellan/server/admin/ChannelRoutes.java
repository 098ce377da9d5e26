package org.castellan.server.admin;

import io.javalin.http.Context;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.Locale;
import org.castellan.protocol.Secret;
import org.castellan.server.audit.AuditActions;
import org.castellan.server.channels.ChannelStore;
import org.castellan.server.db.Database;
import org.castellan.server.guard.Audited;
import org.castellan.server.guard.Caller;
import org.castellan.server.http.ApiException;
import org.castellan.server.http.JsonBody;
import org.castellan.server.http.Names;
import org.castellan.server.http.TextRules;
import org.castellan.server.http.Paging;
import org.castellan.server.http.Responses;
import org.castellan.server.users.Tokens;

/** {@code /api/v1/channels} (admin only): webhook channels; the secret is write-only. */
public final class ChannelRoutes {
    private final Database db;
    private final ChannelStore channels;
    private final Clock clock;

    public ChannelRoutes(Database db, ChannelStore channels, Clock clock) {
        this.db = db;
        this.channels = channels;
        this.clock = clock;
    }

    public record Body(String name, String type, String url, String secret) {}

    public void create(Context ctx, Caller admin) {
        Responses.json(ctx, 201, create(admin, JsonBody.read(ctx, Body.class)));
    }

    /** Validates and stores a webhook channel (secret sealed to the vault key), audited (API and console alike). */
    public ChannelStore.Channel create(Caller admin, Body body) {
        String name = Names.label(body.name(), "name");
        TextRules.refuseIdShaped(name, "name");
        if (!"webhook".equals(body.type())) {
            throw ApiException.badRequest("invalid-type", "field 'type' must be 'webhook'");
        }
        String url = url(body.url());
        if (body.secret() == null || body.secret().length() < 16 || body.secret().length() > 512) {
            throw ApiException.badRequest("invalid-secret", "field 'secret' must be 16 to 512 characters");
        }
        ChannelStore.Channel channel = new ChannelStore.Channel(Tokens.newId(), name, "webhook", url);
        try (Secret secret = Secret.of(body.secret())) {
            admin.act(AuditActions.CHANNEL_CREATE, c -> {
                channels.insert(c, channel, secret, clock.instant());
                // The URL may embed a token: the audit names the channel, not where it points.
                return Audited.of(null, "channel " + channel.id() + " '" + name + "'");
            });
        }
        return channel;
    }

    public void list(Context ctx, Caller admin) {
        Paging paging = Paging.of(ctx);
        // Keyset paging in the database: one row more than asked says another page exists.
        java.util.List<ChannelStore.Channel> rows = db.read(c -> channels.page(c, paging.after(), paging.limit() + 1));
        Responses.ok(ctx, paging.shown(ctx, rows, ChannelStore.Channel::id));
    }

    /** Every channel (never its secret): for the console's pages and forms. */
    public java.util.List<ChannelStore.Channel> all() {
        return db.read(channels::list);
    }

    public void delete(Context ctx, Caller admin) {
        delete(admin, ctx.pathParam("id"));
        ctx.status(204);
    }

    /** Deletes a channel, audited (404 {@code channel-not-found}). */
    public void delete(Caller admin, String id) {
        admin.act(AuditActions.CHANNEL_DELETE, c -> {
            if (!channels.exists(c, id)) {
                throw ApiException.notFound("channel-not-found", "no channel with that id");
            }
            channels.delete(c, id);
            return Audited.of(null, "channel " + id);
        });
    }

    private static String url(String value) {
        try {
            URI uri = new URI(value == null ? "" : value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("https") || scheme.equals("http")) && uri.getHost() != null && value.length() <= 2000) {
                return value;
            }
        } catch (URISyntaxException e) {
            // falls through
        }
        throw ApiException.badRequest("invalid-url", "field 'url' must be an http or https URL");
    }
}
