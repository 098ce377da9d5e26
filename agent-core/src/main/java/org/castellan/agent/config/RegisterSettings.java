package org.castellan.agent.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import org.castellan.protocol.tls.Fingerprints;

/**
 * The settings of {@code register}, each taken from the first place that has it: flag, then
 * environment variable, then {@code config.json}. Two sources of the same setting at the same
 * level (a key flag and a key-file flag, say) are a conflict, rejected before anything runs.
 *
 * @param server the normalized {@code https://host[:port]} URL, or several of them joined by commas
 *     (nodes sharing one database: tried in order, see {@code FailoverServerApi})
 * @param serverFingerprint normalized lower-case hex, or null to trust the system CAs
 * @param keySource where the registration key comes from (the key itself is read later)
 */
public record RegisterSettings(String server, String serverFingerprint, KeySource keySource) {

    /** Where to read the registration key from. {@code value} is a path, a key, or unused. */
    public record KeySource(Kind kind, String value, String origin) {
        public enum Kind { LITERAL, STDIN, FILE }

        @Override
        public String toString() {
            return kind == Kind.LITERAL ? "KeySource[literal from " + origin + "]"
                    : "KeySource[" + kind + " " + (kind == Kind.FILE ? value : "") + " from " + origin + "]";
        }
    }

    /** What the user typed on the command line; null where a flag was not given. */
    public record Flags(String server, String serverFingerprint, String registrationKey, String registrationKeyFile) {
        @Override
        public String toString() {
            return "Flags[server=" + server + ", fingerprint=" + serverFingerprint + "]";
        }
    }

    public static RegisterSettings resolve(Flags flags, Map<String, String> env, ConfigFile file)
            throws ConfigException {
        String server = first(flags.server(), "--server", env, EnvVars.SERVER, file.server(), "server");
        if (server == null) {
            throw new ConfigException("no server given: use --server URL, " + EnvVars.SERVER
                    + " or \"server\" in " + ConfigFile.FILE);
        }
        String fingerprint = first(flags.serverFingerprint(), "--server-fingerprint", env, EnvVars.SERVER_FINGERPRINT,
                file.serverFingerprint(), "serverFingerprint");
        return new RegisterSettings(normalizeServer(server),
                fingerprint == null ? null : normalizeFingerprint(fingerprint), keySource(flags, env, file));
    }

    private static KeySource keySource(Flags flags, Map<String, String> env, ConfigFile file) throws ConfigException {
        if (flags.registrationKey() != null && flags.registrationKeyFile() != null) {
            throw new ConfigException("--registration-key and --registration-key-file conflict: give one");
        }
        if (flags.registrationKey() != null) {
            return "-".equals(flags.registrationKey())
                    ? new KeySource(KeySource.Kind.STDIN, null, "--registration-key -")
                    : new KeySource(KeySource.Kind.LITERAL, flags.registrationKey(), "--registration-key");
        }
        if (flags.registrationKeyFile() != null) {
            return new KeySource(KeySource.Kind.FILE, flags.registrationKeyFile(), "--registration-key-file");
        }
        String envKey = blankToNull(env.get(EnvVars.REGISTRATION_KEY));
        String envFile = blankToNull(env.get(EnvVars.REGISTRATION_KEY_FILE));
        if (envKey != null && envFile != null) {
            throw new ConfigException(EnvVars.REGISTRATION_KEY + " and " + EnvVars.REGISTRATION_KEY_FILE
                    + " conflict: set one");
        }
        if (envKey != null) {
            return new KeySource(KeySource.Kind.LITERAL, envKey, EnvVars.REGISTRATION_KEY);
        }
        if (envFile != null) {
            return new KeySource(KeySource.Kind.FILE, envFile, EnvVars.REGISTRATION_KEY_FILE);
        }
        if (blankToNull(file.registrationKeyFile()) != null) {
            return new KeySource(KeySource.Kind.FILE, file.registrationKeyFile(), ConfigFile.FILE);
        }
        throw new ConfigException("no registration key given: use " + EnvVars.REGISTRATION_KEY
                + ", --registration-key-file FILE or --registration-key - (stdin)");
    }

    private static String first(String flag, String flagName, Map<String, String> env, String envName,
                                String fileValue, String fileKey) throws ConfigException {
        if (flag != null) {
            if (flag.isBlank()) {
                throw new ConfigException(flagName + " is empty");
            }
            return flag.strip();
        }
        String fromEnv = blankToNull(env.get(envName));
        if (fromEnv != null) {
            return fromEnv.strip();
        }
        return blankToNull(fileValue) == null ? null : fileValue.strip();
    }

    /** One URL, or a comma-separated list of them (each normalized, order kept, duplicates refused). */
    static String normalizeServer(String servers) throws ConfigException {
        java.util.List<String> normalized = new java.util.ArrayList<>();
        for (String one : servers.split(",", -1)) {
            if (one.isBlank()) {
                throw new ConfigException("server list '" + servers + "' has an empty entry");
            }
            String url = normalizeOne(one.strip());
            if (normalized.contains(url)) {
                throw new ConfigException("server list '" + servers + "' names " + url + " twice");
            }
            normalized.add(url);
        }
        return String.join(",", normalized);
    }

    private static String normalizeOne(String server) throws ConfigException {
        URI uri;
        try {
            uri = new URI(server);
        } catch (URISyntaxException e) {
            throw new ConfigException("server URL '" + server + "' is not a URL");
        }
        if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new ConfigException("server URL '" + server + "' must be https://host[:port]");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getUserInfo() != null
                || (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !"/".equals(uri.getRawPath()))) {
            throw new ConfigException("server URL '" + server + "' must be just https://host[:port], without path");
        }
        return "https://" + uri.getHost().toLowerCase(Locale.ROOT) + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }

    static String normalizeFingerprint(String fingerprint) throws ConfigException {
        try {
            return Fingerprints.normalize(fingerprint);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("server fingerprint: " + e.getMessage());
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
