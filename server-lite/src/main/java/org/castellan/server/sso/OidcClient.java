package org.castellan.server.sso;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import java.io.IOException;
import java.net.URI;
import java.util.List;

/**
 * The console's OpenID Connect relying party, on Nimbus {@code oauth2-oidc-sdk}: the
 * authorization code flow with PKCE (S256), {@code state} and {@code nonce}; the code is redeemed
 * with the client secret (HTTP Basic), and the ID token is accepted only when its signature checks
 * against the provider's published keys and its issuer, audience, expiry and nonce are right
 * ({@link IDTokenValidator}). The provider's metadata is discovered once, on first use.
 */
public final class OidcClient {
    private static final java.util.Set<JWSAlgorithm> PUBLIC_KEY_ALGS = java.util.Set.of(JWSAlgorithm.RS256,
            JWSAlgorithm.RS384, JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512,
            JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512, JWSAlgorithm.EdDSA);
    private final OidcSettings settings;
    private volatile OIDCProviderMetadata metadata;
    private volatile IDTokenValidator validator;

    public OidcClient(OidcSettings settings) {
        this.settings = settings;
    }

    public OidcSettings settings() {
        return settings;
    }

    /** Why the provider's answer is not accepted (the message is safe to show and to audit). */
    public static final class Refused extends Exception {
        public Refused(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The provider's authorization URL for this sign-in. */
    public URI authorizationUri(String state, String nonce, String verifier, URI redirect) throws Refused {
        return authorizationUri(state, nonce, verifier, redirect, false);
    }

    /**
     * {@code fresh}: a step-up, so the provider is asked to authenticate the user again now
     * ({@code prompt=login}, {@code max_age=0}) rather than reuse its own session.
     */
    public URI authorizationUri(String state, String nonce, String verifier, URI redirect, boolean fresh)
            throws Refused {
        AuthenticationRequest.Builder request = new AuthenticationRequest.Builder(
                new ResponseType(ResponseType.Value.CODE),
                new Scope("openid", "profile"), new ClientID(settings.clientId()), redirect)
                .endpointURI(metadata().getAuthorizationEndpointURI())
                .state(new State(state)).nonce(new Nonce(nonce))
                .codeChallenge(new CodeVerifier(verifier), CodeChallengeMethod.S256);
        if (fresh) {
            request.prompt(new com.nimbusds.openid.connect.sdk.Prompt(com.nimbusds.openid.connect.sdk.Prompt.Type.LOGIN))
                    .maxAge(0);
        }
        return request.build().toURI();
    }

    /**
     * When the user last showed a second factor at the provider, or null when the token says
     * none: {@code amr} names one of {@link OidcSettings#SECOND_FACTOR_AMR}, or {@code acr} is
     * one of the configured multi-factor levels. The time is {@code auth_time} (the provider may
     * have reused a sign-in from hours ago), {@code now} when the token has none or one in the future.
     */
    public java.time.Instant secondFactorAt(IDTokenClaimsSet claims, java.time.Instant now) {
        List<String> amr = claims.getStringListClaim("amr");
        boolean byAmr = amr != null && amr.stream().anyMatch(OidcSettings.SECOND_FACTOR_AMR::contains);
        boolean byAcr = claims.getACR() != null && settings.secondFactorAcr().contains(claims.getACR().getValue());
        if (!byAmr && !byAcr) {
            return null;
        }
        java.util.Date authTime = claims.getAuthenticationTime();
        java.time.Instant at = authTime == null ? now : authTime.toInstant();
        return at.isAfter(now) ? now : at;
    }

    /** Redeems the code and returns the ID token's claims, validated. */
    public IDTokenClaimsSet redeem(String code, String verifier, URI redirect, String nonce) throws Refused {
        OIDCProviderMetadata md = metadata();
        TokenRequest request = new TokenRequest(md.getTokenEndpointURI(),
                new ClientSecretBasic(new ClientID(settings.clientId()), new Secret(settings.clientSecret())),
                new AuthorizationCodeGrant(new AuthorizationCode(code), redirect, new CodeVerifier(verifier)));
        TokenResponse response;
        try {
            response = OIDCTokenResponseParser.parse(request.toHTTPRequest().send());
        } catch (IOException | ParseException e) {
            throw new Refused("the identity provider's token endpoint did not answer properly", e);
        }
        if (!response.indicatesSuccess()) {
            throw new Refused("the identity provider refused the code: "
                    + response.toErrorResponse().getErrorObject().getCode(), null);
        }
        JWT idToken = ((OIDCTokenResponse) response.toSuccessResponse()).getOIDCTokens().getIDToken();
        try {
            return validator(md).validate(idToken, new Nonce(nonce));
        } catch (BadJOSEException | JOSEException e) {
            throw new Refused("the identity provider's ID token is not valid: " + e.getMessage(), e);
        }
    }

    /** The groups the ID token names (the configured claim, a list of strings), or none. */
    public List<String> groups(IDTokenClaimsSet claims) {
        Object value = claims.getClaim(settings.groupsClaim());
        if (value instanceof List<?> list) {
            return list.stream().filter(String.class::isInstance).map(String.class::cast).toList();
        }
        return value instanceof String s ? List.of(s) : List.of();
    }

    private OIDCProviderMetadata metadata() throws Refused {
        OIDCProviderMetadata md = metadata;
        if (md == null) {
            try {
                md = OIDCProviderMetadata.resolve(new Issuer(settings.issuer()));
            } catch (IOException | com.nimbusds.oauth2.sdk.GeneralException e) {
                throw new Refused("the identity provider's configuration cannot be read", e);
            }
            metadata = md;
        }
        return md;
    }

    private IDTokenValidator validator(OIDCProviderMetadata md) throws Refused {
        IDTokenValidator v = validator;
        if (v == null) {
            try {
                // Any public-key algorithm the provider says it signs ID tokens with; never "none" or an HMAC.
                java.util.Set<JWSAlgorithm> algs = new java.util.HashSet<>();
                if (md.getIDTokenJWSAlgs() != null) {
                    algs.addAll(md.getIDTokenJWSAlgs());
                }
                algs.retainAll(PUBLIC_KEY_ALGS);
                if (algs.isEmpty()) {
                    algs.add(JWSAlgorithm.RS256);
                }
                com.nimbusds.jose.jwk.source.JWKSource<com.nimbusds.jose.proc.SecurityContext> keys =
                        com.nimbusds.jose.jwk.source.JWKSourceBuilder.create(md.getJWKSetURI().toURL()).build();
                v = new IDTokenValidator(md.getIssuer(), new ClientID(settings.clientId()),
                        new com.nimbusds.jose.proc.JWSVerificationKeySelector<>(algs, keys), null);
            } catch (java.net.MalformedURLException e) {
                throw new Refused("the identity provider's key set URL is not valid", e);
            }
            validator = v;
        }
        return v;
    }
}
