package org.castellan.agent.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.castellan.agent.spi.AccountManager;
import org.castellan.agent.spi.ManagedAccount;
import org.castellan.agent.spi.PasswordCheck;
import org.castellan.agent.spi.PlatformException;
import org.castellan.protocol.Secret;

/**
 * Local accounts from {@code /etc/passwd}; passwords set with {@code chpasswd}, which reads
 * {@code name:password} on its stdin (never on its command line, where {@code ps} would show it).
 */
public final class LinuxAccountManager implements AccountManager {
    /** Linux has no RID-500 equivalent besides root itself. */
    public static final String DEFAULT_ACCOUNT = "root";
    /** Overrides the chpasswd path on unusual distributions. */
    public static final String CHPASSWD_ENV = "CASTELLAN_CHPASSWD";
    public static final String DEFAULT_CHPASSWD = "/usr/sbin/chpasswd";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Path passwd;
    private final Path shadow;
    private final String chpasswd;
    private final ShadowPasswordCheck check;

    /** The real files and chpasswd (or {@code CASTELLAN_CHPASSWD}). */
    public LinuxAccountManager(Map<String, String> env) {
        this(Path.of("/etc/passwd"), Path.of("/etc/shadow"), chpasswdPath(env));
    }

    LinuxAccountManager(Path passwd, Path shadow, String chpasswd) {
        this(passwd, shadow, chpasswd, new LibCrypt());
    }

    LinuxAccountManager(Path passwd, Path shadow, String chpasswd, Crypt crypt) {
        this.passwd = passwd;
        this.shadow = shadow;
        this.chpasswd = chpasswd;
        this.check = new ShadowPasswordCheck(crypt);
    }

    String chpasswd() {
        return chpasswd;
    }

    static String chpasswdPath(Map<String, String> env) {
        String override = env.get(CHPASSWD_ENV);
        return override == null || override.isBlank() ? DEFAULT_CHPASSWD : override.strip();
    }

    @Override
    public ManagedAccount resolve(String policyAccount) throws PlatformException {
        String name = policyAccount == null || policyAccount.isBlank() ? DEFAULT_ACCOUNT : policyAccount.strip();
        if (name.contains(":") || name.contains("\n") || name.contains("\r")) {
            throw new PlatformException("account-unsupported", "account name '" + name.replaceAll("[\\r\\n]", "?")
                    + "' cannot be a Linux user name");
        }
        String text = read(passwd, "account-missing");
        PasswdParser.PasswdEntry entry = PasswdParser.findUser(text, name).orElseThrow(() ->
                new PlatformException("account-missing", "no local account named " + name + " in " + passwd));
        return new ManagedAccount(entry.name(), Long.toString(entry.uid()));
    }

    /** SHA-256 of the account's shadow hash field: changes with the password, reveals nothing. */
    @Override
    public String passwordMarker(ManagedAccount account) throws PlatformException {
        String text = read(shadow, "marker-unavailable");
        String hash = PasswdParser.shadowHash(text, account.name()).orElseThrow(() ->
                new PlatformException("marker-unavailable", "account " + account.name() + " has no entry in " + shadow));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(hash.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    @Override
    public void setPassword(ManagedAccount account, Secret newPassword) throws PlatformException {
        byte[] password = newPassword.utf8();
        byte[] name = account.name().getBytes(StandardCharsets.UTF_8);
        byte[] line = new byte[name.length + 1 + password.length + 1];
        try {
            for (byte b : password) {
                if (b == '\n' || b == '\r' || b == 0) {
                    throw new PlatformException("password-unsupported",
                            "chpasswd cannot take a password containing a line break or NUL");
                }
            }
            System.arraycopy(name, 0, line, 0, name.length);
            line[name.length] = ':';
            System.arraycopy(password, 0, line, name.length + 1, password.length);
            line[line.length - 1] = '\n';
            ProcessRunner.Result result;
            try {
                result = ProcessRunner.run(List.of(chpasswd), line, TIMEOUT);
            } catch (IOException e) {
                throw new PlatformException("set-password-failed", "run " + chpasswd + " for account "
                        + account.name() + ": " + e.getMessage(), e);
            }
            if (result.exitCode() != 0) {
                throw new PlatformException("set-password-failed", chpasswd + " exited with status "
                        + result.exitCode() + " for account " + account.name() + ": "
                        + ProcessRunner.oneLine(result.output()));
            }
        } finally {
            Arrays.fill(password, (byte) 0);
            Arrays.fill(line, (byte) 0);
        }
    }

    /** crypt(3) of the password against the account's shadow entry, in-process (never through PAM). */
    @Override
    public PasswordCheck verifyPassword(ManagedAccount account, Secret password) throws PlatformException {
        String text = read(shadow, "password-check-unavailable");
        String hash = PasswdParser.shadowHash(text, account.name()).orElseThrow(() ->
                new PlatformException("password-check-unavailable", "account " + account.name() + " has no entry in " + shadow));
        return check.check(hash, password);
    }

    @Override
    public List<String> warnings(ManagedAccount account) {
        try {
            String hash = PasswdParser.shadowHash(read(shadow, "marker-unavailable"), account.name()).orElse("");
            if (hash.startsWith("!") || hash.startsWith("*")) {
                // Setting a password unlocks the account; admins should know that it was locked.
                return List.of("password-locked");
            }
            return List.of();
        } catch (PlatformException e) {
            return List.of("shadow-unreadable");
        }
    }

    private static String read(Path file, String code) throws PlatformException {
        try {
            byte[] bytes = Files.readAllBytes(file);
            try {
                return new String(bytes, StandardCharsets.UTF_8);
            } finally {
                Arrays.fill(bytes, (byte) 0);
            }
        } catch (NoSuchFileException e) {
            throw new PlatformException(code, file + " does not exist");
        } catch (IOException e) {
            throw new PlatformException(code, "read " + file + ": " + e.getMessage(), e);
        }
    }
}
