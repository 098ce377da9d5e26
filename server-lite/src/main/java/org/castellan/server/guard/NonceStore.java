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
 * such rows are pruned, by {@link NoncePurger} in bounded batches of their own, never inside a
 * request's write. Only the agent guard records a nonce: no handler records (or forgets) one.
 */
final class NonceStore {
    /** Kept past the skew window too, for nodes whose clocks are up to this far apart. */
    private static final long CLOCK_MARGIN_SECONDS = 60;
    private final Clock clock;
    private final Duration maxSkew;

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
    }

    /**
     * Deletes at most {@code limit} nonces stamped before the window any request can still be
     * accepted in; returns how many. The bound keeps one such delete small in the write it joins
     * (and in SQLite's WAL), however many expired rows a long stop left behind.
     */
    int pruneStale(Connection c, int limit) throws SQLException {
        long oldestUsable = clock.instant().getEpochSecond() - maxSkew.toSeconds() - CLOCK_MARGIN_SECONDS;
        try (PreparedStatement st = Rows.bind(c.prepareStatement("DELETE FROM request_nonces"
                + " WHERE (device_key, nonce) IN (SELECT device_key, nonce FROM request_nonces"
                + " WHERE request_ts < ? LIMIT ?)"), oldestUsable, limit)) {
            return st.executeUpdate();
        }
    }
}
