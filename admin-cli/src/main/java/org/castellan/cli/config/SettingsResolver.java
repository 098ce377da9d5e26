package org.castellan.cli.config;

import java.nio.file.Path;
import java.util.function.Consumer;
import org.castellan.cli.CliException;
import org.castellan.cli.http.ServerUrl;
import org.castellan.cli.Host;
import org.castellan.protocol.Secret;
import org.castellan.protocol.tls.Fingerprints;

/**
 * Merges server, token and fingerprint from flag, then environment, then config file (first one
 * given wins), and checks each before anything is sent.
 */
public final class SettingsResolver {
    public static final String ENV_SERVER = "CASTELLAN_SERVER";
    public static final String ENV_TOKEN = "CASTELLAN_TOKEN";
    public static final String ENV_TOKEN_FILE = "CASTELLAN_TOKEN_FILE";
    public static final String ENV_FINGERPRINT = "CASTELLAN_SERVER_FINGERPRINT";
    public static final String ENV_CONFIG = "CASTELLAN_CONFIG";

    private final Host host;
    private final Consumer<String> warn;

    public SettingsResolver(Host host, Consumer<String> warn) {
        this.host = host;
        this.warn = warn;
    }

    public ClientSettings resolve(ConnectionFlags flags) {
        return resolve(flags, true);
    }

    /**
     * With {@code needToken} false (logging in, which makes a token) no token source is read at
     * all, so {@code --token -} cannot swallow the password meant for standard input.
     */
    public ClientSettings resolve(ConnectionFlags flags, boolean needToken) {
        ConfigFile config = loadConfig(flags);
        String server = firstGiven(flags.server(), host.env(ENV_SERVER), config.server());
        if (server == null) {
            throw new CliException(CliException.FAILED,
                    "no server given: use --server URL, " + ENV_SERVER + " or \"server\" in the config file (the URL"
                            + " castellan-server printed at start-up, e.g. https://HOST:8443)");
        }
        String fingerprint = firstGiven(flags.serverFingerprint(), host.env(ENV_FINGERPRINT), config.serverFingerprint());
        return new ClientSettings(serverUrl(server), needToken ? token(flags, config) : null, fingerprint == null ? null : normalize(fingerprint));
    }

    private ConfigFile loadConfig(ConnectionFlags flags) {
        if (flags.config() != null) {
            return ConfigFile.load(flags.config(), true);
        }
        String fromEnv = host.env(ENV_CONFIG);
        if (fromEnv != null) {
            return ConfigFile.load(Path.of(fromEnv), true);
        }
        return ConfigFile.load(defaultConfigPath(host), false);
    }

    public static Path defaultConfigPath(Host host) {
        return host.homeDirectory().resolve(".config").resolve("castellan").resolve("config.json");
    }

    private Secret token(ConnectionFlags flags, ConfigFile config) {
        if (flags.token() != null && flags.tokenFile() != null) {
            throw new CliException(CliException.USAGE, "give either --token or --token-file, not both");
        }
        if (flags.token() != null) {
            if (flags.token().equals("-")) {
                return checked(TokenReader.fromStdin(host.stdin()), "standard input");
            }
            warn.accept("--token puts the token in the process list and shell history;"
                    + " prefer --token-file FILE, --token - (standard input) or " + ENV_TOKEN);
            return checked(Secret.of(flags.token()), "--token");
        }
        if (flags.tokenFile() != null) {
            return checked(TokenReader.fromFile(flags.tokenFile(), warn), "--token-file");
        }
        String envToken = host.env(ENV_TOKEN);
        String envTokenFile = host.env(ENV_TOKEN_FILE);
        if (envToken != null && envTokenFile != null) {
            throw new CliException(CliException.FAILED, "both " + ENV_TOKEN + " and " + ENV_TOKEN_FILE + " are set; unset one");
        }
        if (envToken != null) {
            return checked(Secret.of(envToken.strip()), ENV_TOKEN);
        }
        if (envTokenFile != null) {
            return checked(TokenReader.fromFile(Path.of(envTokenFile), warn), ENV_TOKEN_FILE);
        }
        if (config.token() != null) {
            return checked(Secret.of(config.token().strip()), "the config file");
        }
        throw new CliException(CliException.FAILED, "no API token given: use --token-file FILE, --token - (standard input), "
                + ENV_TOKEN + " or \"token\" in the config file (the first admin token is in the server's"
                + " DATA/initial-admin-token; 'castellan login' or 'castellan tokens create' make others)");
    }

    /** A token goes into an HTTP header: refuse characters that cannot, without echoing the token. */
    private static Secret checked(Secret token, String source) {
        char[] chars = token.chars();
        try {
            for (char c : chars) {
                if (c < 0x21 || c > 0x7e) {
                    token.close();
                    throw new CliException(CliException.FAILED, "the token from " + source
                            + " contains spaces, control or non-ASCII characters; check that it was copied whole");
                }
            }
            return token;
        } finally {
            java.util.Arrays.fill(chars, '\0');
        }
    }

    private static ServerUrl serverUrl(String given) {
        try {
            return ServerUrl.parse(given);
        } catch (ServerUrl.Refused e) {
            throw new CliException(CliException.FAILED, e.getMessage());
        }
    }

    private static String normalize(String fingerprint) {
        try {
            return Fingerprints.normalize(fingerprint);
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.FAILED, "server fingerprint '" + fingerprint + "' is not valid: "
                    + e.getMessage() + " (the server prints it at start-up)");
        }
    }

    private static String firstGiven(String... candidates) {
        for (String candidate : candidates) {
            if (candidate != null && !candidate.isBlank()) {
                return candidate.strip();
            }
        }
        return null;
    }
}
