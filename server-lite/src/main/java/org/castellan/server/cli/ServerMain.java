package org.castellan.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code castellan-server}: serve, audit, vault, package-agent, backup, restore, migrate-database, completion. */
@Command(name = "castellan-server", mixinStandardHelpOptions = true, versionProvider = ServerMain.Version.class,
        description = "Castellan server: password escrow, vault, audit and admin API over HTTPS.",
        subcommands = {ServeCommand.class, ServerMain.AuditCommand.class, ServerMain.VaultCommand.class,
                PackageAgentCommand.class, BackupCommand.class, RestoreCommand.class, MigrateDatabaseCommand.class,
                CompletionCommand.class})
public final class ServerMain implements Runnable {
    /** The version and commit the three binaries share. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {org.castellan.protocol.BuildVersion.line("castellan-server")};
        }
    }

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing command: " + String.join(", ", spec.subcommands().keySet())
                + " (castellan-server serve starts the server; castellan-server COMMAND --help says more)");
    }

    @Command(name = "audit", description = "Audit log tools.", mixinStandardHelpOptions = true,
            subcommands = {AuditVerifyCommand.class, AuditReanchorCommand.class})
    static final class AuditCommand implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            throw new ParameterException(spec.commandLine(), "Missing command: verify or re-anchor");
        }
    }

    @Command(name = "vault", description = "Vault key tools.", mixinStandardHelpOptions = true,
            subcommands = {VaultRotateCommand.class, VaultSharesCommand.class, VaultRecoverCommand.class})
    static final class VaultCommand implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            throw new ParameterException(spec.commandLine(), "Missing command: rotate, shares or recover");
        }
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /** The command model: what runs, and what completion scripts and man pages are made from. */
    public static CommandLine commandLine() {
        return new CommandLine(new ServerMain());
    }
}
