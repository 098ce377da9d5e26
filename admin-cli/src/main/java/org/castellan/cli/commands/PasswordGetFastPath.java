package org.castellan.cli.commands;

import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.castellan.cli.CastellanMain;
import org.castellan.cli.Host;
import org.castellan.cli.OutputFormat;
import org.castellan.cli.config.ConnectionFlags;

/**
 * {@code castellan password get HOSTNAME}, the CLI's most frequent call, parsed without picocli.
 * Picocli builds its command model by reflection at every start, over class files compiled for
 * Java 5 that a Java 17 dynamic class-data-sharing archive cannot hold: about 0.1 s of a 0.5 s
 * call. This takes only plainly spelled command lines: the words {@code password get HOSTNAME},
 * the global options anywhere and {@code --reason}/{@code --device-id} after {@code get}, each
 * given at most once as {@code --name VALUE}, {@code --name=VALUE} or {@code -o VALUE}. Anything
 * else (help, version, no host, a typo, an unknown, repeated or clustered option, {@code --},
 * an {@code @file}, an empty value, a value that starts with {@code -} or {@code @} or is a
 * subcommand's name, an output format picocli would refuse) is not taken: {@link #parse} returns
 * null and picocli parses the line, so help, errors and completion stay exactly picocli's.
 * What is taken runs exactly what {@link PasswordGetCommand} runs ({@link PasswordGet}); {@code PasswordGetFastPathTest}
 * checks on many argument vectors that every line taken here parses to the same values in picocli.
 */
public final class PasswordGetFastPath {
    /** Options with a value that every level has (CastellanMain's, inherited). */
    private static final Set<String> GLOBAL = Set.of("--server", "--token", "--token-file", "--server-fingerprint",
            "-o", "--output", "--config");
    /** Options of {@code password get} itself. */
    private static final Set<String> LOCAL = Set.of("--reason", "--device-id");
    /** Words picocli would take as a subcommand (or refuse) where a value is expected. */
    private static final Set<String> COMMAND_WORDS = Set.of("password", "get", "history", "rotate");

    private PasswordGetFastPath() {}

    /** A command line taken by the fast path: the values picocli would have set. */
    record Parsed(ConnectionFlags flags, OutputFormat format, String hostname, String deviceId, String reason) {}

    /**
     * Runs {@code args} when the fast path takes them, with stdout and stderr as picocli sets them
     * up; returns the exit code, or null when picocli must parse them.
     */
    public static Integer run(Host host, String[] args) {
        Parsed parsed = parse(args);
        if (parsed == null) {
            return null;
        }
        return run(host, parsed, writer(System.out, "sun.stdout.encoding"), writer(System.err, "sun.stderr.encoding"));
    }

    /** As {@link #run(Host, String[])}, printing to {@code out} and {@code err}. */
    public static Integer run(Host host, String[] args, PrintWriter out, PrintWriter err) {
        Parsed parsed = parse(args);
        return parsed == null ? null : run(host, parsed, out, err);
    }

    private static int run(Host host, Parsed parsed, PrintWriter out, PrintWriter err) {
        try {
            return CastellanMain.runApi(host, out, err, parsed.flags(), parsed.format(), true,
                    session -> PasswordGet.get(session, parsed.hostname(), parsed.deviceId(), parsed.reason()));
        } catch (RuntimeException e) {
            // A bug, not a refusal: as picocli does for a command that throws, the trace and exit code 1.
            e.printStackTrace(err);
            err.flush();
            return 1;
        }
    }

    /** The values of a command line the fast path takes, or null when picocli must parse it. */
    static Parsed parse(String[] args) {
        Map<String, String> values = new HashMap<>();
        int words = 0; // 0: before "password", 1: before "get", 2: before HOSTNAME, 3: after it
        String hostname = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.isEmpty() || arg.startsWith("@")) {
                return null;
            }
            if (!arg.startsWith("-")) {
                switch (words) {
                    case 0 -> {
                        if (!arg.equals("password")) {
                            return null;
                        }
                    }
                    case 1 -> {
                        if (!arg.equals("get")) {
                            return null;
                        }
                    }
                    case 2 -> hostname = arg;
                    default -> {
                        return null; // a second positional: picocli's "Unmatched argument"
                    }
                }
                words++;
                continue;
            }
            String name = arg;
            String value;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 2) {
                name = arg.substring(0, equals);
                value = arg.substring(equals + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                return null; // a missing value
            }
            boolean known = GLOBAL.contains(name) || (LOCAL.contains(name) && words >= 2);
            if (!known || values.containsKey(canonical(name))
                    || !plainValue(name, value)) {
                return null;
            }
            values.put(canonical(name), value);
        }
        if (hostname == null) {
            return null;
        }
        OutputFormat format = OutputFormat.TEXT;
        String output = values.get("--output");
        if (output != null) {
            format = switch (output.toLowerCase(Locale.ROOT)) {
                case "text", "table" -> OutputFormat.TEXT;
                case "wide" -> OutputFormat.WIDE;
                case "json" -> OutputFormat.JSON;
                default -> null;
            };
            if (format == null) {
                return null; // picocli's conversion error
            }
        }
        ConnectionFlags flags;
        try {
            flags = new ConnectionFlags(values.get("--server"), values.get("--token"), path(values.get("--token-file")),
                    values.get("--server-fingerprint"), path(values.get("--config")));
        } catch (java.nio.file.InvalidPathException e) {
            return null; // picocli's conversion error
        }
        return new Parsed(flags, format, hostname, values.get("--device-id"), values.get("--reason"));
    }

    private static String canonical(String name) {
        return name.equals("-o") ? "--output" : name;
    }

    /** A value picocli takes as it is: not empty, not option-like (but {@code --token -}), no {@code @file}, no subcommand. */
    private static boolean plainValue(String name, String value) {
        if (value.isEmpty() || value.startsWith("@") || COMMAND_WORDS.contains(value)) {
            return false;
        }
        return !value.startsWith("-") || (name.equals("--token") && value.equals("-"));
    }

    private static Path path(String value) {
        return value == null ? null : Path.of(value);
    }

    /** What picocli prints to by default: the stream in its {@code sun.std*.encoding}, else the default charset, auto-flushed. */
    private static PrintWriter writer(OutputStream stream, String encodingProperty) {
        String encoding = System.getProperty(encodingProperty);
        Charset charset = Charset.defaultCharset();
        if (encoding != null && Charset.isSupported(encoding)) {
            charset = Charset.forName(encoding);
        }
        return new PrintWriter(new OutputStreamWriter(stream, charset), true);
    }
}
