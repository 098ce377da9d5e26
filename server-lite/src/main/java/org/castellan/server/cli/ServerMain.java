package org.castellan.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code castellan-server}: serve, audit verify, vault rotate. */
@Command(name = "castellan-server", mixinStandardHelpOptions = true, version = "castellan-server 0.1.0",
        description = "Castellan server: password escrow, vault, audit and admin API over HTTPS.",
        subcommands = {ServeCommand.class, ServerMain.AuditCommand.class, ServerMain.VaultCommand.class})
public final class ServerMain {

    @Command(name = "audit", description = "Audit log tools.", mixinStandardHelpOptions = true,
            subcommands = {AuditVerifyCommand.class})
    static final class AuditCommand {}

    @Command(name = "vault", description = "Vault key tools.", mixinStandardHelpOptions = true,
            subcommands = {VaultRotateCommand.class})
    static final class VaultCommand {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return new CommandLine(new ServerMain()).execute(args);
    }
}
