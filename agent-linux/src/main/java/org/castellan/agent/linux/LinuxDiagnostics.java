package org.castellan.agent.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.castellan.agent.diagnose.PosixStateDirCheck;
import org.castellan.agent.spi.DiagnosticCheck;
import org.castellan.agent.spi.MachineIdentity;

/**
 * Linux's part of {@code diagnose}: chpasswd (and the package version that ships it), the
 * selftest's useradd/userdel, libcrypt's crypt_r on a known answer, systemd, the machine identity
 * sources, and the state directory's modes.
 */
final class LinuxDiagnostics {
    /** crypt(3) of "castellan-selftest" under this setting, as libxcrypt and perl compute it. */
    static final String KNOWN_SETTING = "$6$castellansalt$";
    static final String KNOWN_HASH = "$6$castellansalt$qHtbv2Eh7qk.nzJY.uU3BijH.o0dMZFaZZ.nbNawZF.uXp03arvDckg6/gU/akG0dOb7RnWTGQp45r0XgkvSF.";
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final String chpasswd;
    private final Crypt crypt;
    private final MachineIdentity identity;
    private final Map<String, String> env;

    LinuxDiagnostics(String chpasswd, Crypt crypt, MachineIdentity identity, Map<String, String> env) {
        this.chpasswd = chpasswd;
        this.crypt = crypt;
        this.identity = identity;
        this.env = env;
    }

    List<DiagnosticCheck> checks(Path stateDir) {
        List<DiagnosticCheck> checks = new ArrayList<>();
        checks.add(PosixStateDirCheck.check(stateDir, "root"));
        checks.add(tool("chpasswd", chpasswd, "passwd", "shadow-utils", true));
        checks.add(tool("useradd", LinuxThrowawayAccounts.USERADD, "passwd", "shadow-utils", false));
        checks.add(tool("userdel", LinuxThrowawayAccounts.USERDEL, "passwd", "shadow-utils", false));
        checks.add(libcrypt());
        checks.add(systemd());
        checks.add(cryptsetup());
        checks.add(identity.sources().isEmpty()
                ? DiagnosticCheck.warn("machine-identity-sources", "neither /etc/machine-id nor the DMI product_uuid is readable")
                : DiagnosticCheck.ok("machine-identity-sources", String.join(", ", identity.sources().keySet())));
        return checks;
    }

    private DiagnosticCheck tool(String name, String path, String debianPackage, String rpmPackage, boolean required) {
        if (!Files.isExecutable(Path.of(path))) {
            String detail = path + " is missing (install " + debianPackage + " / " + rpmPackage + ")"
                    + (required ? "" : "; only the selftest needs it");
            return required ? DiagnosticCheck.fail(name, detail) : DiagnosticCheck.warn(name, detail);
        }
        return DiagnosticCheck.ok(name, path + packageVersion(debianPackage, rpmPackage).map(v -> " (package " + v + ")")
                .orElse(" (package version unknown)"));
    }

    /** dpkg-query on Debian and Ubuntu, rpm elsewhere; empty when neither knows. */
    private static Optional<String> packageVersion(String debianPackage, String rpmPackage) {
        Optional<String> deb = firstLine(List.of("dpkg-query", "-W", "-f=${Version}", debianPackage))
                .flatMap(PackageVersions::dpkgQuery).map(v -> debianPackage + " " + v);
        if (deb.isPresent()) {
            return deb;
        }
        return firstLine(List.of("rpm", "-q", "--qf", "%{VERSION}-%{RELEASE}", rpmPackage))
                .flatMap(PackageVersions::rpmQuery).map(v -> rpmPackage + " " + v);
    }

    private DiagnosticCheck libcrypt() {
        byte[] phrase = "castellan-selftest".getBytes(StandardCharsets.US_ASCII);
        try {
            String hash = crypt.hash(phrase, KNOWN_SETTING);
            return KNOWN_HASH.equals(hash)
                    ? DiagnosticCheck.ok("libcrypt", "crypt_r loads and gives the known SHA-512 answer (used for the check before commit)")
                    : DiagnosticCheck.fail("libcrypt", "crypt_r gave a wrong answer for a known SHA-512 hash: the check before commit cannot work");
        } catch (Crypt.CryptUnavailableException e) {
            return DiagnosticCheck.fail("libcrypt", e.getMessage() + " (the check before commit needs libcrypt.so.1)");
        }
    }

    private DiagnosticCheck systemd() {
        String systemctl = env.getOrDefault(SystemdServiceInstaller.SYSTEMCTL_ENV, "systemctl");
        return firstLine(List.of(systemctl, "--version"))
                .map(line -> DiagnosticCheck.ok("systemd", line))
                .orElse(DiagnosticCheck.warn("systemd", "systemctl --version did not answer: install-service needs systemd"));
    }

    /** Only needed where a policy enables LUKS keys: a skip, not a warning, when it is absent. */
    private static DiagnosticCheck cryptsetup() {
        Optional<String> path = Optional.empty();
        try {
            path = Optional.of(ProcessRunner.which("cryptsetup", ProcessRunner.CLEAN_ENV.get("PATH")).toString());
        } catch (IOException e) {
            // reported below
        }
        if (path.isEmpty()) {
            return DiagnosticCheck.skip("cryptsetup", "not installed: LUKS recovery keys need it (Debian: cryptsetup-bin)");
        }
        return firstLine(List.of(path.get(), "--version"))
                .map(line -> DiagnosticCheck.ok("cryptsetup", line + " (LUKS recovery keys)"))
                .orElse(DiagnosticCheck.warn("cryptsetup", path.get() + " --version did not answer"));
    }

    private static Optional<String> firstLine(List<String> command) {
        try {
            ProcessRunner.Result result = ProcessRunner.run(command, null, TIMEOUT);
            if (result.exitCode() != 0 || result.output().isBlank()) {
                return Optional.empty();
            }
            return Optional.of(result.output().strip().split("\\R", 2)[0]);
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
