package org.castellan.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.castellan.cli.commands.AccessCommand;
import org.castellan.cli.commands.AuditCommand;
import org.castellan.cli.commands.ChannelsCommand;
import org.castellan.cli.commands.CompletionCommand;
import org.castellan.cli.commands.DeviceGroupsCommand;
import org.castellan.cli.commands.DevicesCommand;
import org.castellan.cli.commands.GroupsCommand;
import org.castellan.cli.commands.JitCommand;
import org.castellan.cli.commands.LoginCommand;
import org.castellan.cli.commands.PasswordCommand;
import org.castellan.cli.commands.PolicyCommand;
import org.castellan.cli.commands.RecoveryKeyCommand;
import org.castellan.cli.commands.RegistrationKeysCommand;
import org.castellan.cli.commands.ReportsCommand;
import org.castellan.cli.commands.RulesCommand;
import org.castellan.cli.commands.TokensCommand;
import org.castellan.cli.commands.UsersCommand;
import org.castellan.cli.config.ClientSettings;
import org.castellan.cli.config.ConnectionFlags;
import org.castellan.cli.config.SettingsResolver;
import org.castellan.cli.http.AdminApi;
import org.castellan.cli.output.Output;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code castellan}, the admins' CLI. Holds the global options (inherited by every subcommand, so
 * they may come before or after the verb) and runs each API command with the settings resolved
 * and errors turned into a message and an exit code: 0 ok, 1 refused or failed, 2 usage,
 * 3 cannot connect or TLS failure.
 */
@Command(name = "castellan", mixinStandardHelpOptions = true,
        versionProvider = CastellanVersion.class,
        description = "Read device passwords and recovery keys; manage devices, groups, users, tokens, rules, channels,"
                + " registration keys and policies; read the audit log of a Castellan server.",
        footer = {"", "Server, token and fingerprint come from the flags, else CASTELLAN_SERVER, CASTELLAN_TOKEN"
                + " (or CASTELLAN_TOKEN_FILE), CASTELLAN_SERVER_FINGERPRINT, else the config file"
                + " (--config, CASTELLAN_CONFIG, default ~/.config/castellan/config.json, keys server, token,"
                + " serverFingerprint; it must be chmod 600 when it holds a token).",
"First time: the server's first start printed its URL and certificate fingerprint and wrote the admin token to"
                        + " DATA/initial-admin-token: export CASTELLAN_SERVER=URL CASTELLAN_SERVER_FINGERPRINT=SHA256"
                        + " CASTELLAN_TOKEN_FILE=DATA/initial-admin-token.",
                "Exit codes: 0 ok, 1 the server refused or the request failed, 2 usage error, 3 cannot connect or TLS failure.",
                "With -o json an error is one JSON object on stderr, {\"error\":CODE,\"message\":TEXT}: the server's"
                        + " error code, else usage, connection-failed or failed."})
public final class CastellanMain implements java.util.concurrent.Callable<Integer> {
    /**
     * The verbs, in the order help lists them. They are added in code, not in the annotation:
     * picocli builds the model of every command it is given, reflectively, at each start (about
     * 0.2 s for all ~80 commands, most of a {@code password get}), and one call needs one verb.
     */
    private static final List<Class<?>> VERBS = List.of(PasswordCommand.class, RecoveryKeyCommand.class,
            DevicesCommand.class, DeviceGroupsCommand.class, UsersCommand.class, TokensCommand.class,
            GroupsCommand.class, RulesCommand.class, AccessCommand.class, AuditCommand.class, JitCommand.class,
            ChannelsCommand.class, RegistrationKeysCommand.class, PolicyCommand.class, ReportsCommand.class,
            LoginCommand.class, CompletionCommand.class);

    private final Host host;

    @Spec
    private CommandSpec spec;

    @Option(names = "--server", paramLabel = "URL", scope = ScopeType.INHERIT,
            description = "Server base URL, e.g. https://castellan.example:8443 (env CASTELLAN_SERVER).")
    private String server;

    @Option(names = "--token", paramLabel = "TOKEN", scope = ScopeType.INHERIT,
            description = "API token, or - to read it from standard input. A literal token is visible in the"
                    + " process list: prefer --token-file, - or CASTELLAN_TOKEN.")
    private String token;

    @Option(names = "--token-file", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "Read the API token from the first line of FILE (env CASTELLAN_TOKEN_FILE).")
    private Path tokenFile;

    @Option(names = "--server-fingerprint", paramLabel = "SHA256HEX", scope = ScopeType.INHERIT,
            description = "Trust exactly the server certificate with this SHA-256 fingerprint, as the server prints"
                    + " it at start-up (env CASTELLAN_SERVER_FINGERPRINT). Without it, the system CAs are used.")
    private String serverFingerprint;

    @Option(names = {"-o", "--output"}, paramLabel = "text|wide|json", scope = ScopeType.INHERIT, defaultValue = "text",
            converter = OutputFormat.Converter.class,
            description = "Output format: text or table (the same: tables that fit 100 columns; secrets alone on stdout),"
                    + " wide (tables with every column) or json (the server's JSON). Default: text.")
    private OutputFormat output;

    @Option(names = "--config", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "Config file (env CASTELLAN_CONFIG; default ~/.config/castellan/config.json).")
    private Path config;

    public CastellanMain(Host host) {
        this.host = host;
    }

    /**
     * The CLI's whole command line, every verb: what help lists and what completion scripts and
     * man pages are made from. With {@code -o json} anywhere in the arguments, a usage error is
     * the JSON error object on stderr too (exit code 2), as every other error is.
     */
    public static CommandLine commandLine(Host host) {
        CommandLine commandLine = withoutVerbs(host);
        VERBS.forEach(commandLine::addSubcommand);
        return commandLine;
    }

    /**
     * The command line for these arguments: when they name a verb (after any global options),
     * only that verb and its subcommands, which parse, help and fail exactly as in the whole
     * command line; otherwise (top-level help, a typo to suggest a correction for, no verb) all.
     */
    public static CommandLine commandLineFor(Host host, String... args) {
        CommandLine commandLine = withoutVerbs(host);
        Class<?> verb = verbNamed(commandLine.getCommandSpec(), args);
        if (verb == null) {
            VERBS.forEach(commandLine::addSubcommand);
        } else {
            commandLine.addSubcommand(verb);
        }
        return commandLine;
    }

    /** The verb the first argument that is neither a global option nor its value names, or null. */
    static Class<?> verbNamed(CommandSpec globals, String... args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--") || arg.isEmpty()) {
                return null;
            }
            if (!arg.startsWith("-")) {
                for (Class<?> verb : VERBS) {
                    Command command = verb.getAnnotation(Command.class);
                    if (command.name().equals(arg) || List.of(command.aliases()).contains(arg)) {
                        return verb;
                    }
                }
                return null;
            }
            CommandLine.Model.OptionSpec option = globals.findOption(arg);
            if (option == null && !arg.contains("=") && !(arg.length() > 2 && !arg.startsWith("--"))) {
                return null; // an option this level does not know: let the whole model report it
            }
            if (option != null && (option.usageHelp() || option.versionHelp())) {
                return null; // top-level help lists every verb
            }
            if (option != null && option.arity().max() > 0 && !option.typeInfo().isBoolean()) {
                i++; // its value
            }
        }
        return null;
    }

    private static CommandLine withoutVerbs(Host host) {
        CommandLine commandLine = new CommandLine(new CastellanMain(host));
        CommandLine.IParameterExceptionHandler text = commandLine.getParameterExceptionHandler();
        commandLine.setParameterExceptionHandler((ex, args) -> {
            if (!wantsJson(args)) {
                return text.handleParseException(ex, args);
            }
            ex.getCommandLine().getErr().println(jsonError("usage", ex.getMessage()));
            return CliException.USAGE;
        });
        return commandLine;
    }

    private static boolean wantsJson(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-ojson") || a.equals("-o=json") || a.equals("--output=json")
                    || ((a.equals("-o") || a.equals("--output")) && i + 1 < args.length && args[i + 1].equals("json"))) {
                return true;
            }
        }
        return false;
    }

    /** {@code {"error":CODE,"message":TEXT}}, the server's error shape. */
    static String jsonError(String code, String message) {
        com.fasterxml.jackson.databind.node.ObjectNode error = org.castellan.cli.http.LenientJson.mapper().createObjectNode();
        error.put("error", code);
        error.put("message", message);
        return error.toString();
    }

    private static String codeOf(int exitCode) {
        return switch (exitCode) {
            case CliException.USAGE -> "usage";
            case CliException.CONNECTION -> "connection-failed";
            default -> "failed";
        };
    }

    /** {@code castellan} alone: show what it can do. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CliException.USAGE;
    }

    public Host host() {
        return host;
    }

    /** One API command's work, given a connected session. */
    @FunctionalInterface
    public interface ApiAction {
        void run(Session session);
    }

    /** True when {@code --token -} reads the API token from standard input (which then holds nothing else). */
    public boolean tokenFromStdin() {
        return "-".equals(token);
    }

    /** Runs {@code action} against the server and maps what can go wrong to a message and exit code. */
    public int runApi(CommandSpec command, ApiAction action) {
        return runApi(command, true, action);
    }

    /** As {@link #runApi(CommandSpec, ApiAction)}; without {@code needToken} no token is read or sent. */
    public int runApi(CommandSpec command, boolean needToken, ApiAction action) {
        return runApi(host, command.commandLine().getOut(), command.commandLine().getErr(),
                new ConnectionFlags(server, token, tokenFile, serverFingerprint, config), output, needToken, action);
    }

    /** As {@link #runApi(CommandSpec, boolean, ApiAction)}, for global options parsed without picocli. */
    public static int runApi(Host host, PrintWriter stdout, PrintWriter err, ConnectionFlags flags, OutputFormat output,
            boolean needToken, ApiAction action) {
        Output out = new Output(stdout, err, output);
        ClientSettings settings = null;
        try {
            settings = new SettingsResolver(host, out::warn).resolve(flags, needToken);
            try (AdminApi api = new AdminApi(settings)) {
                action.run(new Session(api, out, host));
            }
            return 0;
        } catch (CliException e) {
            out.flush();
            if (out.json()) {
                err.println(jsonError(e instanceof org.castellan.cli.http.ApiException api ? api.code() : codeOf(e.exitCode()),
                        e.getMessage()));
            } else {
                err.println("castellan: " + e.getMessage());
            }
            return e.exitCode();
        } finally {
            if (settings != null && settings.token() != null) {
                settings.token().close();
            }
            out.flush();
        }
    }
}
