package org.castellan.server.web;

import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.castellan.server.audit.AuditActions;
import org.castellan.server.db.Database;
import org.castellan.server.guard.ConsoleSessions;
import org.castellan.server.guard.Visitor;
import org.castellan.server.http.ApiException;
import org.castellan.server.sso.OidcClient;
import org.castellan.server.sso.SqlSsoStore;
import org.castellan.server.users.SqlWebSessionStore;
import org.castellan.server.users.Tokens;
import org.castellan.server.users.UserStore;

/**
 * Single sign-on: {@code /sign-in/sso} sends the browser to the identity provider with a fresh
 * state, nonce and PKCE verifier (kept server-side, bound to this browser by a cookie);
 * {@code /sign-in/sso/callback} takes that sign-in once, redeems the code and checks the ID token
 * ({@link OidcClient}). The user is the one bound to the token's issuer and {@code sub}, created on
 * the first sign-in; its user groups become those the group claim names. Anything wrong: refused,
 * audited, nothing created.
 */
public final class SsoPages {
    static final String BROWSER_COOKIE = "__Host-castellan-sso";
    private static final Pattern COOKIE_VALUE = Pattern.compile("[A-Za-z0-9_-]{43}");
    /** Console paths a step-up through single sign-on may return to. */
    static final Pattern RETURN_TO = Pattern.compile("/devices/[A-Za-z0-9-]{1,64}|/recovery-keys");
    private final OidcClient oidc;
    private final SqlSsoStore store;
    private final UserStore users;
    private final ConsoleSessions sessions;
    private final Database db;
    private final Clock clock;
    private final SecureRandom random;

    /** {@code oidc} null: single sign-on is not configured, and these pages answer 404. */
    public SsoPages(OidcClient oidc, SqlSsoStore store, UserStore users, ConsoleSessions sessions, Database db,
                    Clock clock, SecureRandom random) {
        this.oidc = oidc;
        this.store = store;
        this.users = users;
        this.sessions = sessions;
        this.db = db;
        this.clock = clock;
        this.random = random;
    }

    public boolean configured() {
        return oidc != null;
    }

    public void start(Context ctx, Visitor visitor) {
        requireConfigured();
        String state = secret();
        String nonce = secret();
        String browser = secret();
        String verifier = new CodeVerifier().getValue();
        // A step-up (?then=PATH): the provider authenticates again, and the browser returns to PATH.
        String then = ctx.queryParam("then");
        String returnTo = then != null && RETURN_TO.matcher(then).matches() ? then : null;
        URI redirect = URI.create(ctx.scheme() + "://" + ctx.host() + "/sign-in/sso/callback");
        URI target;
        try {
            target = oidc.authorizationUri(state, nonce, verifier, redirect, returnTo != null);
        } catch (OidcClient.Refused e) {
            throw new ApiException(502, "sso-unavailable", "the identity provider cannot be reached; try again later");
        }
        Instant now = clock.instant();
        visitor.write((c, audit) -> {
            store.begin(c, Tokens.hash(state), Tokens.hash(browser), nonce, verifier, redirect.toString(), returnTo,
                    now);
            return null;
        });
        // Lax, not Strict: the identity provider's redirect back is a cross-site navigation.
        ctx.res().addHeader("Set-Cookie", BROWSER_COOKIE + "=" + browser
                + "; Path=/; Max-Age=600; Secure; HttpOnly; SameSite=Lax");
        ctx.redirect(target.toString(), HttpStatus.SEE_OTHER);
    }

    public void callback(Context ctx, Visitor visitor) {
        requireConfigured();
        String error = ctx.queryParam("error");
        String state = ctx.queryParam("state");
        String code = ctx.queryParam("code");
        String browser = ctx.cookie(BROWSER_COOKIE);
        if (error != null) {
            refuse(visitor, "the identity provider answered " + clip(error), 401,
                    "the identity provider did not sign you in");
        }
        if (state == null || code == null || state.length() > 200 || code.length() > 4096 || browser == null
                || !COOKIE_VALUE.matcher(browser).matches()) {
            refuse(visitor, "callback without state, code or browser cookie", 400,
                    "this sign-in link is incomplete; start again from the sign-in page");
        }
        Instant now = clock.instant();
        Optional<SqlSsoStore.PendingLogin> pending = visitor.write((c, audit) ->
                store.take(c, Tokens.hash(state), Tokens.hash(browser), now));
        if (pending.isEmpty()) {
            refuse(visitor, "unknown, expired, reused or foreign state", 400,
                    "this sign-in link has expired or was already used; start again from the sign-in page");
        }
        SqlSsoStore.PendingLogin login = pending.get();
        IDTokenClaimsSet claims;
        try {
            claims = oidc.redeem(code, login.verifier(), URI.create(login.redirectUri()), login.nonce());
        } catch (OidcClient.Refused e) {
            refuse(visitor, e.getMessage(), 401, "the identity provider's answer was not accepted");
            return;
        }
        String issuer = claims.getIssuer().getValue();
        String subject = claims.getSubject().getValue();
        List<String> groups = oidc.groups(claims);
        Instant secondFactorAt = oidc.secondFactorAt(claims, now);
        boolean secondFactor = secondFactorAt != null;
        String wanted = nameFrom(claims);
        ctx.res().addHeader("Set-Cookie", BROWSER_COOKIE + "=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Lax");
        String detail = visitor.write((c, audit) -> {
            Optional<String> bound = store.userFor(c, issuer, subject);
            String userId;
            boolean created = bound.isEmpty();
            if (created) {
                userId = Tokens.newId();
                users.insertUser(c, userId, freeName(c, wanted), false, now);
                store.bind(c, issuer, subject, userId, now);
            } else {
                userId = bound.get();
                Optional<UserStore.User> user = users.byId(c, userId);
                if (user.isEmpty() || user.get().disabledAt() != null) {
                    return null;
                }
            }
            List<String> matched = store.syncGroups(c, userId, groups);
            sessions.start(c, ctx, null, userId, SqlWebSessionStore.SIGNED_IN, secondFactorAt);
            String text = "signed in" + SignInPages.VIA + " through single sign-on (issuer " + issuer + ", subject "
                    + clip(subject) + ")" + (created ? "; user created" : "") + "; user groups " + matched
                    + (secondFactor ? "; second factor at the identity provider (" + secondFactorAt + ")" : "")
                    + (login.returnTo() == null ? "" : "; step-up for " + login.returnTo());
            audit.append("user:" + userId, AuditActions.SESSION_CREATE, "ok", null, text);
            return text;
        });
        if (detail == null) {
            refuse(visitor, "user bound to subject " + clip(subject) + " is disabled", 403,
                    "your Castellan user is disabled");
        }
        ctx.redirect(login.returnTo() == null ? "/" : login.returnTo(), HttpStatus.SEE_OTHER);
    }

    private void requireConfigured() {
        if (oidc == null) {
            throw ApiException.notFound("sso-not-configured", "single sign-on is not configured on this server");
        }
    }

    private void refuse(Visitor visitor, String why, int status, String message) {
        visitor.write((c, audit) -> {
            audit.append("anonymous", AuditActions.SESSION_CREATE, "denied", null,
                    "single sign-on refused" + SignInPages.VIA + ": " + why);
            return null;
        });
        throw new ApiException(status, "sso-refused", message);
    }

    /** A Castellan user name from the token (preferred_username, else name, else sub), reduced to the allowed characters. */
    private static String nameFrom(IDTokenClaimsSet claims) {
        String name = claims.getStringClaim("preferred_username");
        if (name == null) {
            name = claims.getStringClaim("name");
        }
        if (name == null) {
            name = claims.getSubject().getValue();
        }
        String cleaned = name.replaceAll("[^A-Za-z0-9._@-]", "-");
        return cleaned.isEmpty() ? "sso-user" : cleaned.substring(0, Math.min(48, cleaned.length()));
    }

    private String freeName(java.sql.Connection c, String wanted) throws java.sql.SQLException {
        String name = wanted;
        while (users.byName(c, name).isPresent()) {
            name = wanted + "-" + secret().substring(0, 6).replaceAll("[^A-Za-z0-9]", "x");
        }
        return name;
    }

    private String secret() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String clip(String s) {
        String cleaned = s.replaceAll("\\p{Cntrl}", "?");
        return cleaned.length() > 100 ? cleaned.substring(0, 100) + "…" : cleaned;
    }
}
