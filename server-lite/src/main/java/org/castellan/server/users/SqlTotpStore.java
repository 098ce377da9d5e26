package org.castellan.server.users;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import org.castellan.server.db.Rows;

/** A user's TOTP seed (sealed, see {@link TotpSeeds}), whether it is confirmed, and the last step used. */
public final class SqlTotpStore {
    public record TotpRow(String userId, String sealedSeed, Instant createdAt, Instant confirmedAt, Long lastStep) {
        public boolean confirmed() {
            return confirmedAt != null;
        }
    }

    /** A new, unconfirmed seed replaces any unconfirmed one (a confirmed seed is kept: refused). */
    public boolean putUnconfirmed(Connection c, String userId, String sealedSeed, Instant now) throws SQLException {
        Optional<TotpRow> existing = of(c, userId);
        if (existing.isPresent() && existing.get().confirmed()) {
            return false;
        }
        try (PreparedStatement del = c.prepareStatement("DELETE FROM user_totp WHERE user_id = ?")) {
            Rows.bind(del, userId).executeUpdate();
        }
        try (PreparedStatement st = c.prepareStatement(
                "INSERT INTO user_totp (user_id, seed_envelope, created_at) VALUES (?, ?, ?)")) {
            Rows.bind(st, userId, sealedSeed, now).executeUpdate();
        }
        return true;
    }

    /** Forgets the user's second factor (an admin's reset: the next sign-in enrols again); true if there was one. */
    public boolean delete(Connection c, String userId) throws SQLException {
        try (PreparedStatement del = c.prepareStatement("DELETE FROM user_totp WHERE user_id = ?")) {
            return Rows.bind(del, userId).executeUpdate() == 1;
        }
    }

    public Optional<TotpRow> of(Connection c, String userId) throws SQLException {
        try (PreparedStatement st = Rows.bind(c.prepareStatement("SELECT * FROM user_totp WHERE user_id = ?"), userId);
             ResultSet rs = st.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            long step = rs.getLong("last_step");
            return Optional.of(new TotpRow(rs.getString("user_id"), rs.getString("seed_envelope"),
                    Rows.instant(rs, "created_at"), Rows.instant(rs, "confirmed_at"), rs.wasNull() ? null : step));
        }
    }

    /**
     * Spends the time step of a matching code: true only if no code of this or a later step was
     * used before (a code is good once, even within its 30 seconds). Confirms the seed on first use.
     */
    public boolean useStep(Connection c, String userId, long step, Instant now) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE user_totp SET last_step = ?,"
                + " confirmed_at = COALESCE(confirmed_at, ?) WHERE user_id = ? AND (last_step IS NULL OR last_step < ?)")) {
            return Rows.bind(st, step, now, userId, step).executeUpdate() == 1;
        }
    }
}
