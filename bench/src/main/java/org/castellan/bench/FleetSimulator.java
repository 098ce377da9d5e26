package org.castellan.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code fleet-simulator}: the fleet simulator of issue 11, a command (bench/fleet-simulator) and
 * no part of any product jar. {@code seed} writes a fleet into the server's database; {@code load}
 * drives a running server with it and measures, in the same run, that server's {@code /healthz}
 * ceiling. docs/performance.md has the commands behind every published figure.
 */
@Command(name = "fleet-simulator", mixinStandardHelpOptions = true, subcommands = {SeedCommand.class, LoadCommand.class},
        description = "Seed a Castellan database with a fleet, and drive a server with its load.")
public final class FleetSimulator implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand: seed or load");
    }

    /** Runs one command line; returns its exit status (what {@link #main} exits with). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new FleetSimulator());
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            System.err.println("fleet-simulator: " + e.getMessage());
            if (Boolean.getBoolean("fleet-simulator.debug")) {
                e.printStackTrace();
            }
            return 2;
        });
        return cli.execute(args);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }
}
