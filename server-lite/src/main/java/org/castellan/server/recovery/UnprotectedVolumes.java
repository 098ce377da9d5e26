package org.castellan.server.recovery;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** For the device JSON ({@code "unprotectedVolumes"}): what the device last reported, without a store instance. */
public final class UnprotectedVolumes {
    private static final RecoveryKeyStore STORE = new SqlRecoveryKeyStore();

    private UnprotectedVolumes() {}

    public static List<String> of(Connection c, String deviceId) throws SQLException {
        return STORE.unprotectedVolumes(c, deviceId);
    }
}
