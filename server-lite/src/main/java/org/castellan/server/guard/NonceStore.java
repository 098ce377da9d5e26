package org.castellan.server.guard;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import org.castellan.server.db.Rows;
import org.castellan.server.http.ApiException;

/**
 * Nonces of accepted agent requests, in the database so a replay fails across restarts too.
 * A nonce older than the allowed skew can never be accepted again (its timestamp is stale), so
 * such rows are pruned. Only the agent guard uses it: no handler records (or forgets) a nonce.
 */
final class NonceStore {
    private final Clock clock;
    private final Duration maxSkew;
    private volatile long lastPruneMillis;

    NonceStore(Clock clock, Duration maxSkew) {
        this.clock = clock;
        this.maxSkew = maxSkew;
    }

    boolean seen(Connection c, String deviceKey, String nonce) throws SQLException {
        try (PreparedStatement st = Rows.bind(c.prepareStatement(
                "SELECT 1 FROM request_nonces WHERE device_key = ? AND nonce = ?"), deviceKey, nonce);
             ResultSet rs = st.executeQuery()) {
            return rs.next();
        }
    }

    /**
     * Stores the request's nonce in the caller's transaction: insert-or-refuse on the primary key,
     * never check-then-insert. A concurrent replay (on another node too) waits for the first
     * insert's transaction and then inserts nothing, so it is refused here, never a 5xx.
     */
    void record(Connection c, SignedRequest request) throws SQLException {
        int inserted;
        try (PreparedStatement st = c.prepareStatement(
                "INSERT INTO request_nonces (device_key, nonce, request_ts) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
            inserted = Rows.bind(st, request.publicKey(), request.nonce(), request.timestamp()).executeUpdate();
        }
        if (inserted == 0) {
            throw ApiException.unauthorized("replayed-request", "this request was already received");
        }
        pruneNowAndThen(c);
    }

    private void pruneNowAndThen(Connection c) throws SQLException {
        long now = clock.millis();
        if (now - lastPruneMillis < 60_000) {
            return;
        }
        lastPruneMillis = now;
        long oldestUsable = now / 1000 - maxSkew.toSeconds() - 60;
        try (PreparedStatement st = Rows.bind(c.prepareStatement("DELETE FROM request_nonces WHERE request_ts < ?"),
                oldestUsable)) {
            st.executeUpdate();
        }
    }
}
