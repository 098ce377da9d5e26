package org.castellan.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.castellan.server.testing.Cli;
import org.junit.jupiter.api.Test;

/** {@code castellan-server completion --shell ...}: the same generators as the CLI's, for this command model. */
class CompletionCommandTest {
    @Test
    void printsEachShellsScriptForTheServersCommands() {
        Cli.Run zsh = Cli.run(null, "completion", "--shell", "zsh");
        assertThat(zsh.code()).as(zsh.describe()).isZero();
        assertThat(zsh.out()).startsWith("#compdef castellan-server").contains("bashcompinit").contains("migrate-database");

        Cli.Run fish = Cli.run(null, "completion", "--shell", "fish");
        assertThat(fish.out()).startsWith("# fish completion for castellan-server").contains("package-agent");

        Cli.Run bad = Cli.run(null, "completion", "--shell", "ksh");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("unsupported shell 'ksh'").contains("--shell bash, zsh, fish or powershell");
    }

    @Test
    void noCommandListsEveryCommand() {
        Cli.Run none = Cli.run(null);

        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).contains("Missing command: serve").contains("migrate-database").contains("completion")
                .contains("castellan-server COMMAND --help");
    }

    @Test
    void serveHelpSaysWhatTheFirstStartCreatesAndWhatToGiveTheClients() {
        Cli.Run help = Cli.run(null, "serve", "--help");

        assertThat(help.code()).isZero();
        assertThat(help.out().replaceAll("\\s+", "")).contains("DIR/initial-admin-token")
                .contains("SHA-256fingerprint").contains("--server-fingerprint");
    }
}
