package org.castellan.server.channels;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.castellan.protocol.Json;
import org.castellan.protocol.Secret;
import org.castellan.protocol.envelope.AssociatedData;
import org.castellan.protocol.envelope.Envelope;
import org.castellan.protocol.envelope.EnvelopeException;
import org.castellan.protocol.envelope.SecretEnvelope;
import org.castellan.protocol.envelope.VaultKeyPair;
import org.castellan.server.db.Database;
import org.castellan.server.db.Rows;
import org.castellan.server.notify.WebhookChannel;
import org.castellan.server.notify.WebhookChannels;
import org.castellan.server.vault.EnvelopeOpens;
import org.castellan.server.vault.Vault;

/**
 * Notification channels. The signing secret is sealed to the vault key, bound to the channel id
 * (the database alone cannot sign a webhook), and opened only when an event is delivered (by the
 * dispatcher's thread, outside any write transaction: {@link EnvelopeOpens}).
 */
public final class ChannelStore implements WebhookChannels {
    /** A channel as listed: never the secret. */
    public record Channel(String id, String name, String type, String url) {}

    private final Database db;
    private final Vault vault;

    public ChannelStore(Database db, Vault vault) {
        this.db = db;
        this.vault = vault;
    }

    public void insert(Connection c, Channel channel, Secret secret, Instant now) throws SQLException {
        Envelope envelope;
        try {
            byte[] plain = secret.utf8();
            try {
                envelope = SecretEnvelope.seal(vault.current().publicKey(), context(channel.id()), plain);
            } finally {
                Arrays.fill(plain, (byte) 0);
            }
            try (PreparedStatement st = c.prepareStatement(
                    "INSERT INTO channels (id, name, type, url, secret, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                Rows.bind(st, channel.id(), channel.name(), channel.type(), channel.url(),
                        Json.mapper().writeValueAsString(envelope), now).executeUpdate();
            }
        } catch (JsonProcessingException | EnvelopeException e) {
            throw new IllegalStateException("cannot seal the secret of channel " + channel.id(), e);
        }
    }

    /** Every channel, in id order: for the console's pages and forms. */
    public List<Channel> list(Connection c) throws SQLException {
        return channels(c, "SELECT id, name, type, url FROM channels ORDER BY id");
    }

    /** Up to {@code limit} channels in id order after {@code afterId} (null: from the first): keyset paging on the primary key. */
    public List<Channel> page(Connection c, String afterId, int limit) throws SQLException {
        return channels(c, "SELECT id, name, type, url FROM channels WHERE id > ? ORDER BY id LIMIT ?",
                afterId == null ? "" : afterId, limit);
    }

    private static List<Channel> channels(Connection c, String sql, Object... params) throws SQLException {
        List<Channel> out = new ArrayList<>();
        try (PreparedStatement st = Rows.bind(c.prepareStatement(sql), params);
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.add(new Channel(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
            }
        }
        return out;
    }

    public boolean exists(Connection c, String id) throws SQLException {
        try (PreparedStatement st = Rows.bind(c.prepareStatement("SELECT 1 FROM channels WHERE id = ?"), id);
             ResultSet rs = st.executeQuery()) {
            return rs.next();
        }
    }

    public void delete(Connection c, String id) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("DELETE FROM channels WHERE id = ?")) {
            Rows.bind(st, id).executeUpdate();
        }
    }

    /** For the dispatcher: the channel with its opened secret, looked up at delivery time. */
    @Override
    public Optional<WebhookChannel> find(String channelId) {
        return db.read(c -> {
            try (PreparedStatement st = Rows.bind(c.prepareStatement(
                    "SELECT name, url, secret FROM channels WHERE id = ?"), channelId);
                 ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new WebhookChannel(channelId, rs.getString(1), URI.create(rs.getString(2)),
                        open(channelId, rs.getString(3))));
            }
        });
    }

    private Secret open(String channelId, String envelopeJson) {
        try {
            Envelope envelope = Json.mapper().readValue(envelopeJson, Envelope.class);
            VaultKeyPair key = vault.key(envelope.keyId()).orElseThrow(() ->
                    new IllegalStateException("channel " + channelId + " secret is sealed to a missing vault key"));
            byte[] plain = EnvelopeOpens.open(key, context(channelId), envelope);
            try {
                return Secret.fromUtf8(plain);
            } finally {
                Arrays.fill(plain, (byte) 0);
            }
        } catch (JsonProcessingException | EnvelopeException e) {
            throw new IllegalStateException("channel " + channelId + " secret does not open", e);
        }
    }

    /**
     * The protocol has associated data only for passwords and recovery keys; a channel id is
     * never a device id (it is prefixed), so this context cannot collide with a device password.
     */
    private static AssociatedData context(String channelId) {
        return AssociatedData.forPassword("channel:" + channelId, "webhook-secret", channelId);
    }
}
