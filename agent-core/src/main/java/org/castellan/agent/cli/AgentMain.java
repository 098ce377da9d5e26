package org.castellan.agent.cli;

import org.castellan.agent.AgentException;
import org.castellan.agent.AgentVersion;
import org.castellan.agent.config.ConfigException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code castellan-agent}: the endpoint agent. Commands: register, check-in, run, status,
 * install-service, uninstall-service, seed-password, diagnose, selftest, completion. Exit codes: 0 success, 1 failure, 2 bad usage or config.
 */
@Command(name = "castellan-agent", mixinStandardHelpOptions = true, versionProvider = AgentMain.Version.class,
        description = "Rotates this device's local administrator password and escrows it with castellan-server.")
public final class AgentMain implements Runnable {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    private final AgentContext context;

    AgentMain(AgentContext context) {
        this.context = context;
    }

    public static void main(String[] args) {
        System.exit(run(AgentContext.system(), args));
    }

    /**
     * Every subcommand by name, in the order help lists them. Picocli builds the model of every
     * subcommand it is given from annotations, reflectively, on each start (about a tenth of a
     * CPU-second for all of them); a check-in that runs four times an hour only needs its own.
     */
    private static final Map<String, Function<AgentContext, Object>> SUBCOMMANDS = subcommands();

    private static Map<String, Function<AgentContext, Object>> subcommands() {
        Map<String, Function<AgentContext, Object>> byName = new LinkedHashMap<>();
        byName.put("register", RegisterCommand::new);
        byName.put("check-in", CheckInCommand::new);
        byName.put("run", RunCommand::new);
        byName.put("status", StatusCommand::new);
        byName.put("install-service", InstallServiceCommand::new);
        byName.put("uninstall-service", UninstallServiceCommand::new);
        byName.put("seed-password", SeedPasswordCommand::new);
        byName.put("diagnose", DiagnoseCommand::new);
        byName.put("selftest", SelfTestCommand::new);
        byName.put("completion", CompletionCommand::new);
        return Collections.unmodifiableMap(byName);
    }

    /** The command model (every subcommand): what help lists, and what completion scripts and man pages are made from. */
    public static CommandLine commandLine(AgentContext context) {
        CommandLine cli = new CommandLine(new AgentMain(context));
        SUBCOMMANDS.values().forEach(command -> cli.addSubcommand(command.apply(context)));
        return cli;
    }

    /**
     * The model for one command line: when the first argument names a subcommand, only that
     * subcommand (its parsing, help and errors are the same as in the full model); otherwise, for
     * top-level help, a typo to suggest a correction for, or no argument, every subcommand.
     */
    static CommandLine commandLineFor(AgentContext context, String... args) {
        Function<AgentContext, Object> only = args.length > 0 ? SUBCOMMANDS.get(args[0]) : null;
        if (only == null) {
            return commandLine(context);
        }
        return new CommandLine(new AgentMain(context)).addSubcommand(only.apply(context));
    }

    /** Runs one command line; returns the exit code. Errors are printed as one line on stderr. */
    public static int run(AgentContext context, String... args) {
        Integer fast = CheckInFastPath.run(context, args); // the timer's check-in, without picocli's model
        if (fast != null) {
            return fast;
        }
        CommandLine cli = commandLineFor(context, args);
        cli.setOut(new java.io.PrintWriter(context.out(), true));
        cli.setErr(new java.io.PrintWriter(context.err(), true));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> failed(context, commandLine.getCommandName(), e));
        return cli.execute(args);
    }

    /** A command that failed: one line on stderr, and the exit code. */
    static int failed(AgentContext context, String command, Exception e) {
        context.err().println("castellan-agent " + command + ": " + oneLine(AgentException.describe(e)));
        return e instanceof ConfigException ? USAGE : FAILED;
    }

    private static String oneLine(String message) {
        return message.replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }

    @Override
    public void run() {
        CommandLine.usage(this, context.out());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {org.castellan.protocol.BuildVersion.line("castellan-agent")};
        }
    }
}
