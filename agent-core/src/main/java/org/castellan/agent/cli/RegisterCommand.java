package org.castellan.agent.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.castellan.agent.AgentException;
import org.castellan.agent.config.ConfigException;
import org.castellan.agent.config.ConfigFile;
import org.castellan.agent.config.RegisterSettings;
import org.castellan.agent.config.RegisterSettings.KeySource;
import org.castellan.agent.flow.Registration;
import org.castellan.agent.state.AgentState;
import org.castellan.agent.state.StateDir;
import org.castellan.agent.state.StateStore;
import org.castellan.protocol.Secret;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "register", mixinStandardHelpOptions = true,
        description = "Registers this device with castellan-server using a registration key.")
final class RegisterCommand implements Callable<Integer> {
    /** A registration key is short; anything longer read from stdin or a file is a mistake. */
    private static final int MAX_KEY_BYTES = 4096;

    @Mixin
    StateDirOption stateDir = new StateDirOption();

    @Option(names = "--server", paramLabel = "URL[,URL...]", description = "Server base URL, https://host:port "
            + "(env CASTELLAN_SERVER); several comma-separated URLs of nodes sharing one database are tried in order.")
    String server;

    @Option(names = "--registration-key", paramLabel = "KEY",
            description = "Registration key; '-' reads it from stdin. Prefer env CASTELLAN_REGISTRATION_KEY or "
                    + "--registration-key-file: a key on the command line is visible to other users.")
    String registrationKey;

    @Option(names = "--registration-key-file", paramLabel = "FILE",
            description = "File holding the registration key (env CASTELLAN_REGISTRATION_KEY_FILE).")
    String registrationKeyFile;

    @Option(names = "--server-fingerprint", paramLabel = "SHA256HEX",
            description = "Pin the server's TLS certificate by its SHA-256 fingerprint, as castellan-server prints it at"
                    + " start-up (env CASTELLAN_SERVER_FINGERPRINT); without it the system CAs are trusted, which the"
                    + " server's own self-signed certificate is not.")
    String serverFingerprint;

    @Option(names = "--force", description = "Register again even though this device is registered.")
    boolean force;

    @Option(names = "--if-unregistered", description = "Do nothing (exit 0) when this device is already registered: "
            + "what an installer runs, so that an upgrade keeps the device id and key.")
    boolean ifUnregistered;

    private final AgentContext context;

    RegisterCommand(AgentContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws AgentException {
        StateDir dir = context.stateDir(stateDir.stateDir);
        if (ifUnregistered && force) {
            throw new ConfigException("--if-unregistered and --force conflict: give one");
        }
        if (ifUnregistered && new StateStore(dir).isRegistered()) {
            AgentState current = new StateStore(dir).require();
            context.out().println("already registered as device " + current.deviceId() + " with " + current.server()
                    + "; nothing to do");
            return AgentMain.OK;
        }
        RegisterSettings settings = RegisterSettings.resolve(
                new RegisterSettings.Flags(server, serverFingerprint, registrationKey, registrationKeyFile),
                context.env(), ConfigFile.read(dir));
        if (settings.keySource().kind() == KeySource.Kind.LITERAL && "--registration-key".equals(settings.keySource().origin())) {
            context.err().println("warning: --registration-key shows the key to every user of this machine "
                    + "(process list, shell history); use CASTELLAN_REGISTRATION_KEY, --registration-key-file FILE "
                    + "or --registration-key - next time");
        }
        Registration registration = new Registration(context.platform().get(), dir, context.connector(),
                context.clock(), context.random());
        registration.checkAllowed(force);
        AgentState state;
        try (Secret key = readKey(settings.keySource())) {
            state = registration.register(settings.server(), settings.serverFingerprint(), key, force);
        }
        context.out().println("registered as device " + state.deviceId() + " with " + state.server()
                + (state.serverFingerprint() == null ? " (system CAs)" : " (pinned certificate)"));
        context.out().println("state directory: " + dir);
        return AgentMain.OK;
    }

    private Secret readKey(KeySource source) throws ConfigException {
        byte[] raw;
        switch (source.kind()) {
            case LITERAL:
                return checked(Secret.of(source.value().strip()), source);
            case STDIN:
                try {
                    raw = context.stdin().readNBytes(MAX_KEY_BYTES + 1);
                } catch (IOException e) {
                    throw new ConfigException("read registration key from stdin", e);
                }
                break;
            case FILE:
                try {
                    raw = Files.readAllBytes(Path.of(source.value()));
                } catch (IOException e) {
                    throw new ConfigException("read registration key file " + source.value() + " (" + source.origin() + ")", e);
                }
                break;
            default:
                throw new IllegalStateException("unknown key source " + source.kind());
        }
        try {
            if (raw.length > MAX_KEY_BYTES) {
                throw new ConfigException("registration key from " + source.origin() + " is longer than "
                        + MAX_KEY_BYTES + " bytes");
            }
            int end = raw.length;
            while (end > 0 && Character.isWhitespace(raw[end - 1])) {
                end--;
            }
            int start = 0;
            while (start < end && Character.isWhitespace(raw[start])) {
                start++;
            }
            byte[] trimmed = Arrays.copyOfRange(raw, start, end);
            try {
                return checked(Secret.fromUtf8(trimmed), source);
            } finally {
                Arrays.fill(trimmed, (byte) 0);
            }
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    private static Secret checked(Secret key, KeySource source) throws ConfigException {
        if (key.length() == 0) {
            key.close();
            throw new ConfigException("registration key from " + source.origin() + " is empty");
        }
        return key;
    }
}
