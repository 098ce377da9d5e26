package org.castellan.server.guard;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.castellan.server.db.Database;
import org.castellan.server.users.Principal;
import org.castellan.server.users.SqlWebSessionStore;
import org.castellan.server.users.SqlWebSessionStore.WebSession;
import org.castellan.server.users.Tokens;

/**
 * Web console sessions and their CSRF tokens. The cookie ({@value #COOKIE}: {@code Secure},
 * {@code HttpOnly}, {@code SameSite=Strict}, host-only by its {@code __Host-} prefix) holds 32
 * random bytes from {@link SecureRandom}; the database holds their SHA-256. A new secret is issued
 * at each sign-in step (the session id rotates). Sessions end after {@link #idle} without a request
 * and at {@link #absolute} after sign-in, whichever is first.
 *
 * <p>CSRF: the synchronizer token of a session is HMAC-SHA256 keyed with its secret, so it is
 * tied to the session, never stored, and unknown to anyone without the cookie; every form carries
 * it in {@value #CSRF_FIELD} and the guard compares it in constant time. Before sign-in the same
 * is done with a separate random cookie ({@value #SIGN_IN_COOKIE}), so the sign-in form itself
 * cannot be posted from another site (login CSRF).
 */
public final class ConsoleSessions implements UseRecorder {
    public static final String COOKIE = "__Host-castellan-session";
    public static final String SIGN_IN_COOKIE = "__Host-castellan-sign-in";
    public static final String CSRF_FIELD = "csrf";
    static final String CSRF_ATTRIBUTE = "castellan.console.csrf";
    private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Duration SECOND_FACTOR_WINDOW = Duration.ofMinutes(5);
    private final SqlWebSessionStore store;
    private final Database db;
    private final Clock clock;
    private final SecureRandom random;
    private final Duration idle;
    private final Duration absolute;

    public ConsoleSessions(SqlWebSessionStore store, Database db, Clock clock, SecureRandom random, Duration idle,
                           Duration absolute) {
        this.store = store;
        this.db = db;
        this.clock = clock;
        this.random = random;
        this.idle = idle;
        this.absolute = absolute;
    }

    public Duration idle() {
        return idle;
    }

    public Duration absolute() {
        return absolute;
    }

    /** The live session the request's cookie names, in any stage. */
    Optional<WebSession> current(Context ctx) {
        String secret = secret(ctx, COOKIE);
        if (secret == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return db.read(c -> store.live(c, Tokens.hash(secret), now, now.minus(idle)));
    }

    /** True when the form's (or {@code X-CSRF-Token} header's) token is the one of the cookie {@code cookie}. */
    boolean csrfMatches(Context ctx, String cookie) {
        String secret = secret(ctx, cookie);
        if (secret == null) {
            return false;
        }
        String sent = ctx.header("X-CSRF-Token");
        if (sent == null) {
            sent = ctx.formParam(CSRF_FIELD);
        }
        return sent != null && MessageDigest.isEqual(csrfFor(secret).getBytes(StandardCharsets.US_ASCII),
                sent.getBytes(StandardCharsets.US_ASCII));
    }

    /** Makes the token of cookie {@code cookie} available to the page ({@link #csrf}); issues the sign-in cookie if asked. */
    void exposeCsrf(Context ctx, String cookie, boolean issueIfMissing) {
        String secret = secret(ctx, cookie);
        if (secret == null && issueIfMissing) {
            secret = newSecret();
            setCookie(ctx, SIGN_IN_COOKIE, secret);
        }
        if (secret != null) {
            ctx.attribute(CSRF_ATTRIBUTE, csrfFor(secret));
        }
    }

    /** The CSRF token every form of this page must carry in {@value #CSRF_FIELD}. */
    public static String csrf(Context ctx) {
        String token = ctx.attribute(CSRF_ATTRIBUTE);
        return token == null ? "" : token;
    }

    /**
     * Starts a new session for {@code userId} (the previous one, if any, is ended: the id rotates at
     * each sign-in step) and sets its cookie; {@code previousSessionId} (or null) is ended. A session waiting for its second factor lives five minutes.
     */
    public void start(Connection c, Context ctx, String previousSessionId, String userId, String stage,
                      Instant secondFactorAt) throws SQLException {
        Instant now = clock.instant();
        if (previousSessionId != null) {
            store.end(c, previousSessionId, now);
        }
        String secret = newSecret();
        Instant expires = now.plus(SqlWebSessionStore.SECOND_FACTOR.equals(stage) ? SECOND_FACTOR_WINDOW : absolute);
        store.insert(c, Tokens.newId(), Tokens.hash(secret), userId, stage, now, expires, secondFactorAt);
        setCookie(ctx, COOKIE, secret);
        ctx.attribute(CSRF_ATTRIBUTE, csrfFor(secret));
    }

    /** The session showed its second factor again now (a step-up); its id and CSRF token stay the same. */
    public void secondFactorShown(Connection c, String sessionId) throws SQLException {
        store.secondFactorShown(c, sessionId, clock.instant());
    }

    /** Ends the request's session on the server and clears its cookie. */
    public void end(Connection c, Context ctx, String sessionId) throws SQLException {
        store.end(c, sessionId, clock.instant());
        ctx.res().addHeader("Set-Cookie", COOKIE + "=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Strict");
    }

    @Override
    public java.time.Instant recordUse(Connection c, Principal principal) throws SQLException {
        java.time.Instant now = clock.instant();
        store.touch(c, principal.tokenId(), now);
        return now;
    }

    private String newSecret() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void setCookie(Context ctx, String name, String secret) {
        ctx.res().addHeader("Set-Cookie", name + "=" + secret + "; Path=/; Secure; HttpOnly; SameSite=Strict");
    }

    private static String secret(Context ctx, String name) {
        String value = ctx.cookie(name);
        return value != null && SECRET.matcher(value).matches() ? value : null;
    }

    static String csrfFor(String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal("castellan-console-csrf-v1".getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 missing from the JDK", e);
        }
    }
}
