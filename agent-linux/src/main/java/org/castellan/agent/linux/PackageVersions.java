package org.castellan.agent.linux;

import java.util.Optional;

/** Parses what package managers print for {@code diagnose}'s tool versions. */
final class PackageVersions {
    private PackageVersions() {}

    /** {@code dpkg-query -W -f=${Version} PKG}: the version alone, e.g. {@code 1:4.13+dfsg1-1+deb12u1}. */
    static Optional<String> dpkgQuery(String output) {
        String version = output.strip();
        return version.matches("[0-9][A-Za-z0-9.+~:-]*") ? Optional.of(version) : Optional.empty();
    }

    /** {@code rpm -q --qf %{VERSION}-%{RELEASE} PKG}; "package X is not installed" is no version. */
    static Optional<String> rpmQuery(String output) {
        String version = output.strip();
        return version.contains(" ") || !version.matches("[0-9][A-Za-z0-9._+~-]*") ? Optional.empty() : Optional.of(version);
    }
}
