package org.castellan.server.sso;

import java.net.URI;

/**
 * Single sign-on for the web console with an OpenID Connect provider: its issuer URL, this
 * server's client id and secret there, and the ID-token claim that lists the user's groups (each
 * value naming a Castellan user group).
 */
public record OidcSettings(URI issuer, String clientId, String clientSecret, String groupsClaim) {
    public OidcSettings {
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
                + groupsClaim + "]";
    }
}
