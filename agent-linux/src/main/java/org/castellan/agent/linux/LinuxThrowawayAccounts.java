package org.castellan.agent.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.castellan.agent.spi.ManagedAccount;
import org.castellan.agent.spi.PlatformException;
import org.castellan.agent.spi.ThrowawayAccounts;

/**
 * The selftest's disposable account: {@code useradd} without a home directory, a login shell or
 * a lastlog entry, its password locked until the production {@code chpasswd} path sets one;
 * {@code userdel} afterwards.
 */
final class LinuxThrowawayAccounts implements ThrowawayAccounts {
    static final String USERADD = "/usr/sbin/useradd";
    static final String USERDEL = "/usr/sbin/userdel";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Path passwd;

    LinuxThrowawayAccounts(Path passwd) {
        this.passwd = passwd;
    }

    @Override
    public boolean exists(String name) throws PlatformException {
        return PasswdParser.findUser(read(), name).isPresent();
    }

    @Override
    public ManagedAccount create(String name) throws PlatformException {
        requireSafe(name);
        if (exists(name)) {
            throw new PlatformException("account-exists", "a local account named " + name + " already exists");
        }
        run("account-create-failed", "create throwaway account " + name, List.of(USERADD, "-M", "-l",
                "-s", "/usr/sbin/nologin", "-c", "Castellan selftest (throwaway)", name));
        return PasswdParser.findUser(read(), name)
                .map(entry -> new ManagedAccount(entry.name(), Long.toString(entry.uid())))
                .orElseThrow(() -> new PlatformException("account-create-failed",
                        "useradd succeeded but " + name + " is not in " + passwd));
    }

    @Override
    public void delete(String name) throws PlatformException {
        requireSafe(name);
        if (!exists(name)) {
            return;
        }
        run("account-delete-failed", "delete throwaway account " + name, List.of(USERDEL, name));
    }

    private static void requireSafe(String name) throws PlatformException {
        if (!name.matches("[a-z_][a-z0-9_-]{0,31}")) {
            throw new PlatformException("account-unsupported", "'" + name + "' is not a portable Linux user name");
        }
    }

    private static void run(String code, String what, List<String> command) throws PlatformException {
        ProcessRunner.Result result;
        try {
            result = ProcessRunner.run(command, null, TIMEOUT);
        } catch (IOException e) {
            throw new PlatformException(code, what + ": " + e.getMessage(), e);
        }
        if (result.exitCode() != 0) {
            throw new PlatformException(code, what + ": " + command.get(0) + " exited with status " + result.exitCode()
                    + ": " + ProcessRunner.oneLine(result.output()));
        }
    }

    private String read() throws PlatformException {
        try {
            return Files.readString(passwd, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PlatformException("account-lookup-failed", "read " + passwd + ": " + e.getMessage(), e);
        }
    }
}
