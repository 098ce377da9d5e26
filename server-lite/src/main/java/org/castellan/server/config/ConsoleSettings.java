package org.castellan.server.config;

import java.time.Duration;
import org.castellan.server.sso.OidcSettings;

/**
 * The web console's timings: a session ends after {@code idle} without a request and
 * {@code absolute} after sign-in at the latest; a revealed secret hides itself from the page
 * after {@code hideSecretsAfter}. {@code oidc}: single sign-on through an OpenID Connect provider
 * (null: none, sign-in with name, password and TOTP only).
 */
public record ConsoleSettings(Duration idle, Duration absolute, Duration hideSecretsAfter, OidcSettings oidc) {
    public static ConsoleSettings defaults() {
        return new ConsoleSettings(Duration.ofMinutes(15), Duration.ofHours(8), Duration.ofSeconds(60), null);
    }

    public ConsoleSettings {
        if (idle.isNegative() || idle.isZero() || absolute.compareTo(idle) < 0 || hideSecretsAfter.isNegative()) {
            throw new IllegalArgumentException("console timings: idle > 0, absolute >= idle, hide-after >= 0");
        }
    }

    public ConsoleSettings withHideSecretsAfter(Duration after) {
        return new ConsoleSettings(idle, absolute, after, oidc);
    }

    public ConsoleSettings withOidc(OidcSettings settings) {
        return new ConsoleSettings(idle, absolute, hideSecretsAfter, settings);
    }
}
