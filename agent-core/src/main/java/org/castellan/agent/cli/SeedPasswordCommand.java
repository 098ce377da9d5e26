package org.castellan.agent.cli;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.castellan.agent.AgentException;
import org.castellan.agent.config.ConfigException;
import org.castellan.agent.spi.ManagedAccount;
import org.castellan.agent.spi.Platform;
import org.castellan.agent.spi.PlatformException;
import org.castellan.agent.state.AgentState;
import org.castellan.agent.state.StateDir;
import org.castellan.agent.state.StateLock;
import org.castellan.agent.state.StateStore;
import org.castellan.protocol.Secret;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code castellan-agent seed-password}: hands the agent the managed account's current password
 * so that it can change a macOS SecureToken account's password with it. The password is read from
 * stdin only (never an argument, which {@code ps} would show); one trailing newline is dropped.
 */
@Command(name = "seed-password", mixinStandardHelpOptions = true,
        description = "Reads the managed account's current password from stdin and gives it to the agent "
                + "(macOS SecureToken accounts: clears needs-first-password). Example: "
                + "castellan-agent seed-password < password-file")
final class SeedPasswordCommand implements Callable<Integer> {
    static final int MAX_PASSWORD_BYTES = 1024;

    @Mixin
    StateDirOption stateDir = new StateDirOption();

    private final AgentContext context;

    SeedPasswordCommand(AgentContext context) {
        this.context = context;
    }

    @Override
    @SuppressWarnings("try") // The lock is held while the platform stores the password.
    public Integer call() throws AgentException {
        Platform platform = context.platform().get();
        StateDir dir = context.stateDir(stateDir.stateDir);
        AgentState state = new StateStore(dir).require();
        String policyAccount = state.policy() == null ? "" : state.policy().account();
        try (Secret password = readPassword()) {
            String name = policyAccount;
            try (StateLock lock = StateLock.acquire(dir)) {
                // The platform keeps the password in this state directory.
                platform.secureStateDir(dir.path());
                ManagedAccount account = platform.accounts().resolve(policyAccount);
                name = account.name();
                platform.accounts().seedCurrentPassword(account, password);
            } catch (PlatformException e) {
                throw new AgentException("seed current password of account "
                        + (name == null || name.isEmpty() ? "(policy default)" : name) + ": " + e.code(), e);
            }
            context.out().println("current password of account " + name + " verified and stored");
        }
        return AgentMain.OK;
    }

    private Secret readPassword() throws ConfigException {
        byte[] raw;
        try {
            raw = context.stdin().readNBytes(MAX_PASSWORD_BYTES + 1);
        } catch (IOException e) {
            throw new ConfigException("read the current password from stdin", e);
        }
        try {
            if (raw.length > MAX_PASSWORD_BYTES) {
                throw new ConfigException("the password on stdin is longer than " + MAX_PASSWORD_BYTES + " bytes");
            }
            int end = raw.length;
            if (end > 0 && raw[end - 1] == '\n') {
                end--;
                if (end > 0 && raw[end - 1] == '\r') {
                    end--;
                }
            }
            if (end == 0) {
                throw new ConfigException("no password on stdin; pipe it in, e.g. castellan-agent seed-password < FILE");
            }
            byte[] password = Arrays.copyOf(raw, end);
            try {
                return Secret.fromUtf8(password);
            } finally {
                Arrays.fill(password, (byte) 0);
            }
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }
}
