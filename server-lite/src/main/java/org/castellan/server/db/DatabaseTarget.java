package org.castellan.server.db;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which database {@code serve} uses: absent = embedded SQLite in the data directory;
 * {@code postgresql://HOST[:PORT]/DB?user=NAME[&sslmode=…]} = PostgreSQL. The password never rides
 * in the URL (it would show in argv and in process listings): it comes from a file or from the
 * environment, and {@link #toString()} never shows it.
 */
public final class DatabaseTarget {
    /** Query parameters passed to pgjdbc as they are; anything else is refused. */
    private static final Set<String> PASSED = Set.of("sslmode", "sslrootcert", "sslcert", "sslkey", "ssl",
            "connectTimeout", "socketTimeout", "targetServerType", "applicationName", "options", "currentSchema");
    private static final DatabaseTarget EMBEDDED = new DatabaseTarget(null, null, null, Map.of(), 0);

    private final String hosts;
    private final String database;
    private final String user;
    private final Map<String, String> params;
    private final int poolSize;
    private char[] password;

    private DatabaseTarget(String hosts, String database, String user, Map<String, String> params, int poolSize) {
        this.hosts = hosts;
        this.database = database;
        this.user = user;
        this.params = params;
        this.poolSize = poolSize;
    }

    public static DatabaseTarget embeddedSqlite() {
        return EMBEDDED;
    }

    /**
     * Parses the URL; {@code null} or blank = embedded.
     *
     * @throws IllegalArgumentException naming what is wrong (never echoing a password)
     */
    public static DatabaseTarget parse(String url) {
        if (url == null || url.isBlank()) {
            return EMBEDDED;
        }
        String text = url.strip();
        String lower = text.toLowerCase(Locale.ROOT);
        String rest;
        if (lower.startsWith("postgresql://")) {
            rest = text.substring("postgresql://".length());
        } else if (lower.startsWith("postgres://")) {
            rest = text.substring("postgres://".length());
        } else if (lower.startsWith("sqlite:") || lower.equals("embedded")) {
            return EMBEDDED;
        } else {
            throw new IllegalArgumentException("database URL must look like postgresql://HOST:PORT/DATABASE?user=NAME"
                    + " (or be absent for the embedded SQLite database)");
        }
        int at = rest.indexOf('@');
        int slash = rest.indexOf('/');
        if (at >= 0 && (slash < 0 || at < slash)) {
            throw new IllegalArgumentException("database URL must not hold credentials (USER:PASSWORD@): give ?user=NAME"
                    + " and the password in CASTELLAN_DATABASE_PASSWORD or a password file");
        }
        if (slash <= 0) {
            throw new IllegalArgumentException("database URL needs a host and a database name: postgresql://HOST:PORT/DATABASE");
        }
        String hosts = rest.substring(0, slash);
        String pathAndQuery = rest.substring(slash + 1);
        int q = pathAndQuery.indexOf('?');
        String database = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
        if (!database.matches("[A-Za-z0-9_.-]{1,63}")) {
            throw new IllegalArgumentException("database URL: the database name must be 1-63 letters, digits, '_', '.' or '-'");
        }
        for (String host : hosts.split(",", -1)) {
            if (!host.matches("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?")) {
                throw new IllegalArgumentException("database URL: \"" + (host.length() > 80 ? "host" : host)
                        + "\" is not HOST or HOST:PORT");
            }
        }
        String user = null;
        int poolSize = 10;
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : query.isEmpty() ? new String[0] : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (key.equalsIgnoreCase("password")) {
                throw new IllegalArgumentException("database URL must not hold the password: put it in"
                        + " CASTELLAN_DATABASE_PASSWORD or a file named by --database-password-file");
            } else if (key.equals("user")) {
                user = value;
            } else if (key.equals("poolSize")) {
                try {
                    poolSize = Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    poolSize = -1;
                }
                if (poolSize < 1 || poolSize > 200) {
                    throw new IllegalArgumentException("database URL: poolSize must be 1-200");
                }
            } else if (PASSED.contains(key)) {
                params.put(key, value);
            } else {
                throw new IllegalArgumentException("database URL: unknown parameter \"" + (key.length() > 40 ? "…" : key)
                        + "\" (known: user, poolSize, " + String.join(", ", PASSED) + ")");
            }
        }
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("database URL needs ?user=NAME");
        }
        return new DatabaseTarget(hosts, database, user, Map.copyOf(params), poolSize);
    }

    public boolean embedded() {
        return hosts == null;
    }

    /** The pgjdbc URL (no credentials). */
    public String jdbcUrl() {
        StringBuilder url = new StringBuilder("jdbc:postgresql://").append(hosts).append('/').append(database);
        char sep = '?';
        for (Map.Entry<String, String> p : params.entrySet()) {
            url.append(sep).append(p.getKey()).append('=')
                    .append(java.net.URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8));
            sep = '&';
        }
        return url.toString();
    }

    public String user() {
        return user;
    }

    public int poolSize() {
        return poolSize;
    }

    /** Sets the password (from a file or the environment). */
    public DatabaseTarget withPassword(char[] newPassword) {
        DatabaseTarget copy = new DatabaseTarget(hosts, database, user, params, poolSize);
        copy.password = newPassword == null ? null : newPassword.clone();
        return copy;
    }

    char[] password() {
        return password;
    }

    /** Where it points, for messages: never the password. */
    @Override
    public String toString() {
        return embedded() ? "embedded SQLite" : "postgresql://" + hosts + "/" + database + " as " + user;
    }
}
