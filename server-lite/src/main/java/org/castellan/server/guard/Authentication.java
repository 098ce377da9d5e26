package org.castellan.server.guard;

import io.javalin.http.Context;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.castellan.server.db.Database;
import org.castellan.server.http.ApiException;
import org.castellan.server.users.Principal;
import org.castellan.server.users.Tokens;
import org.castellan.server.users.UserStore;

/**
 * Bearer token → principal: a live token (not expired, not revoked, its user enabled), or none.
 * Reading only; the token's last use is recorded by the request's own write
 * ({@link Caller}), so an authenticated request costs no extra trip through the database writer;
 * a request that writes nothing else records it at most once per {@link #RECORD_USE_EVERY} per
 * token (issue 11: before, every authenticated read was a durable write).
 */
public final class Authentication implements UseRecorder {
    private static final int MAX_TOKEN_LENGTH = 100;
    static final Duration RECORD_USE_EVERY = Duration.ofMinutes(1);
    /** When each token's use was last recorded by this node (bounded by the number of tokens). */
    private final ConcurrentHashMap<String, Instant> recorded = new ConcurrentHashMap<>();
    private final Database db;
    private final UserStore users;
    private final Clock clock;

    public Authentication(Database db, UserStore users, Clock clock) {
        this.db = db;
        this.users = users;
        this.clock = clock;
    }

    /** The caller, or empty when the token is missing, unknown, revoked, expired or its user disabled. */
    Optional<Principal> principal(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = header.substring(7).trim();
        if (!token.startsWith(Tokens.API_TOKEN_PREFIX) || token.length() > MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        String hash = Tokens.hash(token);
        return db.read(c -> users.principalForToken(c, hash, clock.instant()));
    }

    /**
     * Why {@link #principal} found no caller, saying how to get a token that works: none sent, not an
     * API token, unknown, expired, revoked, or its user disabled. Only the holder of the token learns
     * its state, and only what an admin could tell them.
     */
    ApiException refusal(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return ApiException.unauthorized("unauthorized", "this needs an API token: send Authorization: Bearer cat_..."
                    + " (castellan: --token-file FILE, CASTELLAN_TOKEN, or castellan login)");
        }
        String token = header.substring(7).trim();
        if (!token.startsWith(Tokens.API_TOKEN_PREFIX) || token.length() > MAX_TOKEN_LENGTH) {
            return ApiException.unauthorized("unauthorized", "that is not a Castellan API token (they start with "
                    + Tokens.API_TOKEN_PREFIX + "); use the token castellan tokens create or castellan login gave you");
        }
        String hash = Tokens.hash(token);
        Instant now = clock.instant();
        return db.read(c -> {
            Optional<UserStore.Token> found = users.tokenByHash(c, hash);
            if (found.isEmpty()) {
                return ApiException.unauthorized("unauthorized", "this API token is unknown to this server (a typo, or"
                        + " a token of another server?); ask an admin for a new one: castellan tokens create --user NAME");
            }
            UserStore.Token t = found.get();
            if (t.revokedAt() != null) {
                return ApiException.unauthorized("token-revoked", "this API token ('" + t.name() + "') was revoked at "
                        + t.revokedAt() + "; ask an admin for a new one: castellan tokens create --user NAME --name NAME");
            }
            if (t.expiresAt() != null && !t.expiresAt().isAfter(now)) {
                return ApiException.unauthorized("token-expired", "this API token ('" + t.name() + "') expired at "
                        + t.expiresAt() + "; ask an admin for a new one: castellan tokens create --user NAME --name NAME"
                        + " --expires-in 90d (or sign in again with castellan login)");
            }
            return ApiException.unauthorized("user-disabled", "the user of this API token is disabled; an admin can"
                    + " enable it again: castellan users enable NAME");
        });
    }

    /** Records that {@code principal}'s token was used now, in the caller's transaction; returns when. */
    @Override
    public Instant recordUse(Connection c, Principal principal) throws SQLException {
        Instant now = clock.instant();
        users.touchToken(c, principal.tokenId(), now);
        return now;
    }

    /** After the transaction that recorded the use at {@code at} committed. */
    @Override
    public void useRecorded(Principal principal, Instant at) {
        if (principal.tokenId() == null) {
            return;
        }
        recorded.merge(principal.tokenId(), at, (a, b) -> a.isAfter(b) ? a : b);
    }

    /** False when this token's use was recorded less than {@link #RECORD_USE_EVERY} ago: a read need not write. */
    @Override
    public boolean useNeedsRecording(Principal principal) {
        Instant last = principal.tokenId() == null ? null : recorded.get(principal.tokenId());
        return last == null || !clock.instant().isBefore(last.plus(RECORD_USE_EVERY));
    }
}
