package org.castellan.server.policy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import org.castellan.server.db.Rows;

public final class SqlPolicyStore implements PolicyStore {

    @Override
    public Optional<Policy> byName(Connection c, String name) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT * FROM policies WHERE name = ?")) {
            Rows.bind(st, name);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Policy(rs.getString("name"), rs.getString("account"), rs.getInt("length"),
                        rs.getString("complexity"), rs.getInt("passphrase_words"), rs.getInt("exclude_lookalikes") == 1,
                        rs.getInt("max_age_days"), rs.getInt("check_in_seconds"), rs.getInt("history_keep"),
                        rs.getInt("history_days"), rs.getInt("create_account") == 1, rs.getInt("ensure_admin") == 1,
                        rs.getInt("enable_account") == 1, rs.getInt("remove_keychain_after_reset") == 1,
                        rs.getInt("luks_enabled") == 1, rs.getString("luks_unlock_key_file"),
                        rs.getInt("luks_max_age_days")));
            }
        }
    }

    @Override
    public boolean exists(Connection c, String name) throws SQLException {
        return byName(c, name).isPresent();
    }

    @Override
    public void save(Connection c, Policy p, Instant now) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO policies (name, account, length, complexity,"
                + " passphrase_words, exclude_lookalikes, max_age_days, check_in_seconds, history_keep, history_days,"
                + " create_account, ensure_admin, enable_account, remove_keychain_after_reset,"
                + " luks_enabled, luks_unlock_key_file, luks_max_age_days, updated_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET account = excluded.account,"
                + " length = excluded.length, complexity = excluded.complexity,"
                + " passphrase_words = excluded.passphrase_words, exclude_lookalikes = excluded.exclude_lookalikes,"
                + " max_age_days = excluded.max_age_days, check_in_seconds = excluded.check_in_seconds,"
                + " history_keep = excluded.history_keep, history_days = excluded.history_days,"
                + " create_account = excluded.create_account, ensure_admin = excluded.ensure_admin,"
                + " enable_account = excluded.enable_account,"
                + " remove_keychain_after_reset = excluded.remove_keychain_after_reset,"
                + " luks_enabled = excluded.luks_enabled, luks_unlock_key_file = excluded.luks_unlock_key_file,"
                + " luks_max_age_days = excluded.luks_max_age_days,"
                + " updated_at = excluded.updated_at")) {
            Rows.bind(st, p.name(), p.account(), p.length(), p.complexity(), p.passphraseWords(),
                    p.excludeLookalikes(), p.maxAgeDays(), p.checkInSeconds(), p.historyKeep(), p.historyDays(),
                    p.createAccount(), p.ensureAdmin(), p.enableAccount(), p.removeKeychainAfterReset(), p.luksEnabled(),
                    p.luksUnlockKeyFile(), p.luksMaxAgeDays(), now).executeUpdate();
        }
    }
}
