package org.castellan.server.sso;

import java.net.URI;

/**
 * Single sign-on for the web console with an OpenID Connect provider: its issuer URL, this
 * server's client id and secret there, and the ID-token claim that lists the user's groups (each
 * value naming a Castellan user group). A sign-in counts as a second factor when the ID token's
 * {@code amr} names one ({@link #SECOND_FACTOR_AMR}) or its {@code acr} is one of
 * {@code secondFactorAcr} (the provider's names for multi-factor levels, e.g. {@code "mfa"} or
 * {@code "http://schemas.openid.net/pape/policies/2007/06/multi-factor"}).
 */
public record OidcSettings(URI issuer, String clientId, String clientSecret, String groupsClaim,
                           java.util.List<String> secondFactorAcr) {
    /** {@code amr} values (RFC 8176) that mean a factor beyond the password was used. */
    public static final java.util.Set<String> SECOND_FACTOR_AMR = java.util.Set.of("mfa", "otp", "hwk", "swk", "fido",
            "sc", "face", "fpt");

    public OidcSettings(URI issuer, String clientId, String clientSecret, String groupsClaim) {
        this(issuer, clientId, clientSecret, groupsClaim, java.util.List.of());
    }

    public OidcSettings {
        secondFactorAcr = secondFactorAcr == null ? java.util.List.of() : java.util.List.copyOf(secondFactorAcr);
        if (issuer == null || clientId == null || clientId.isBlank() || clientSecret == null || clientSecret.isBlank()) {
            throw new IllegalArgumentException("single sign-on needs an issuer, a client id and a client secret");
        }
        if (groupsClaim == null || groupsClaim.isBlank()) {
            groupsClaim = "groups";
        }
    }

    @Override
    public String toString() {
        return "OidcSettings[issuer=" + issuer + ", clientId=" + clientId + ", clientSecret=***, groupsClaim="
                + groupsClaim + ", secondFactorAcr=" + secondFactorAcr + "]";
    }
}
