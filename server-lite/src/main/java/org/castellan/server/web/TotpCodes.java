package org.castellan.server.web;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.castellan.server.db.Database;
import org.castellan.server.http.ApiException;
import org.castellan.server.ratelimit.Lockout;
import org.castellan.server.ratelimit.RateDecision;
import org.castellan.server.users.SqlTotpStore;
import org.castellan.server.users.Totp;
import org.castellan.server.users.TotpSeeds;

/**
 * Checking a TOTP code typed into the console: the user's lockout first (wrong codes at sign-in
 * and at a step-up count together), then the sealed seed opened just long enough to compare. The
 * caller spends the matching step ({@link SqlTotpStore#useStep}) in the transaction that acts on it.
 */
final class TotpCodes {
    private final Lockout lockout;
    private final SqlTotpStore totps;
    private final TotpSeeds seeds;
    private final Database db;

    TotpCodes(Lockout lockout, SqlTotpStore totps, TotpSeeds seeds, Database db) {
        this.lockout = lockout;
        this.totps = totps;
        this.seeds = seeds;
        this.db = db;
    }

    static String lockoutKey(String userId) {
        return "totp-user:" + userId;
    }

    /** The user's confirmed second factor, if they have one. */
    Optional<SqlTotpStore.TotpRow> confirmed(String userId) {
        return db.read(c -> totps.of(c, userId)).filter(SqlTotpStore.TotpRow::confirmed);
    }

    /** The time step {@code code} matches (empty: wrong); 429 while the user is locked out. */
    OptionalLong match(SqlTotpStore.TotpRow row, String code, Instant now) {
        RateDecision locked = lockout.check(lockoutKey(row.userId()));
        if (!locked.allowed()) {
            throw ApiException.tooManyRequests("locked-out", "too many wrong codes; try again later",
                    locked.retryAfterSeconds());
        }
        byte[] seed = seeds.open(row.userId(), row.sealedSeed());
        try {
            return Totp.matchingStep(seed, code, now);
        } finally {
            TotpSeeds.wipe(seed);
        }
    }

    /** A wrong or reused code: counts towards the lockout; true while the user may still try. */
    boolean failed(String userId) {
        return lockout.recordFailure(lockoutKey(userId)).allowed();
    }

    void succeeded(String userId) {
        lockout.recordSuccess(lockoutKey(userId));
    }
}
