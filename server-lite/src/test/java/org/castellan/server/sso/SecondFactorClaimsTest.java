package org.castellan.server.sso;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.castellan.server.testing.NoDatabase;
import org.junit.jupiter.api.Test;

/** Which ID tokens count as a second factor at the identity provider, and since when. */
@NoDatabase("no database, no server: the same on either backend")
class SecondFactorClaimsTest {
    static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
    static final OidcClient CLIENT = new OidcClient(new OidcSettings(URI.create("https://idp.example"), "castellan",
            "secret", "groups", List.of("urn:corp:mfa")));

    static IDTokenClaimsSet token(Map<String, Object> claims) throws Exception {
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder().issuer("https://idp.example").subject("sub-1")
                .audience("castellan").issueTime(Date.from(NOW)).expirationTime(Date.from(NOW.plusSeconds(300)));
        claims.forEach(b::claim);
        return new IDTokenClaimsSet(b.build());
    }

    @Test
    void anAmrNamingAFactorBeyondThePasswordCountsFromItsAuthTime() throws Exception {
        Instant authTime = NOW.minus(Duration.ofHours(3));
        assertThat(CLIENT.secondFactorAt(token(Map.of("amr", List.of("pwd", "otp"),
                "auth_time", authTime.getEpochSecond())), NOW)).as("the provider's sign-in three hours ago")
                .isEqualTo(authTime);
        assertThat(CLIENT.secondFactorAt(token(Map.of("amr", List.of("mfa"))), NOW)).as("no auth_time: now")
                .isEqualTo(NOW);
        assertThat(CLIENT.secondFactorAt(token(Map.of("amr", List.of("hwk"),
                "auth_time", NOW.plusSeconds(600).getEpochSecond())), NOW)).as("never in the future").isEqualTo(NOW);
    }

    @Test
    void aConfiguredAcrCountsAndAPasswordAloneDoesNot() throws Exception {
        assertThat(CLIENT.secondFactorAt(token(Map.of("acr", "urn:corp:mfa")), NOW)).isEqualTo(NOW);
        assertThat(CLIENT.secondFactorAt(token(Map.of("acr", "urn:corp:password")), NOW)).isNull();
        assertThat(CLIENT.secondFactorAt(token(Map.of("amr", List.of("pwd"))), NOW)).isNull();
        assertThat(CLIENT.secondFactorAt(token(Map.of()), NOW)).isNull();
    }
}
