package org.castellan.agent.cli;

import org.castellan.agent.AgentException;
import org.castellan.agent.AgentVersion;
import org.castellan.agent.config.ConfigException;
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

    /** The command model (every subcommand): what runs, and what completion scripts and man pages are made from. */
    public static CommandLine commandLine(AgentContext context) {
        return new CommandLine(new AgentMain(context))
                .addSubcommand(new RegisterCommand(context))
                .addSubcommand(new CheckInCommand(context))
                .addSubcommand(new RunCommand(context))
                .addSubcommand(new StatusCommand(context))
                .addSubcommand(new InstallServiceCommand(context))
                .addSubcommand(new UninstallServiceCommand(context))
                .addSubcommand(new SeedPasswordCommand(context))
                .addSubcommand(new DiagnoseCommand(context))
                .addSubcommand(new SelfTestCommand(context))
                .addSubcommand(new CompletionCommand(context));
    }

    /** Runs one command line; returns the exit code. Errors are printed as one line on stderr. */
    public static int run(AgentContext context, String... args) {
        CommandLine cli = commandLine(context);
        cli.setOut(new java.io.PrintWriter(context.out(), true));
        cli.setErr(new java.io.PrintWriter(context.err(), true));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            String command = commandLine.getCommandName();
            context.err().println("castellan-agent " + command + ": " + oneLine(AgentException.describe(e)));
            return e instanceof ConfigException ? USAGE : FAILED;
        });
        return cli.execute(args);
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
