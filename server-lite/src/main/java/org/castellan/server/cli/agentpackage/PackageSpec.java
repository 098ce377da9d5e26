package org.castellan.server.cli.agentpackage;

import java.util.List;

/**
 * What to build.
 *
 * @param servers the normalized server URLs (empty for a plain package)
 * @param fingerprint the server certificate's SHA-256 fingerprint, lower-case hex (null for a plain package)
 * @param key the registration key's bytes (null for a plain package); cleared after the build
 * @param mode {@code timer} (one check-in per run, nothing resident) or {@code service} (resident {@code run})
 * @param release the package release, bumped when the same agent version is packaged again
 */
public record PackageSpec(PackageType type, TargetOs os, List<String> servers, String fingerprint, byte[] key,
                          String mode, int release) {
    public enum PackageType { DEB, RPM, MSI, TAR_GZ }

    public enum TargetOs { LINUX, MACOS, WINDOWS }

    public boolean preconfigured() {
        return key != null;
    }

    @Override
    public String toString() {
        return "PackageSpec[" + type + " " + os + " " + servers + " " + mode + " release " + release
                + (key == null ? " plain" : " preconfigured") + "]";
    }
}
