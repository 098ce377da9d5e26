package org.castellan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.castellan.cli.testing.CliRunner;
import org.castellan.testsupport.Prerequisite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code castellan completion --shell bash|zsh|fish|powershell}: each script is loaded by the real
 * shell (zsh through bashcompinit in {@code zsh -fc}, fish's {@code complete -C}); the default comes
 * from $SHELL; PowerShell's is generated but not run (no PowerShell here).
 */
class CompletionShellsTest {
    @TempDir
    Path home;

    private CliRunner cli() {
        return new CliRunner(home);
    }

    @Test
    void zshLoadsTheScriptThroughBashcompinit() throws Exception {
        Prerequisite.requireCommand("zsh", "zsh");
        Path script = write("castellan.zsh", ok(cli().run("completion", "--shell", "zsh")));
        assertThat(Files.readString(script)).startsWith("#compdef castellan").contains("bashcompinit");

        String out = run("zsh", "-fc", "source " + script + " && print -r -- ${_comps[castellan]}");

        assertThat(out.strip()).as("zsh has a completion function for castellan").isNotEmpty();
    }

    @Test
    void fishCompletesSubcommandsOptionsAndTheShellsThemselves() throws Exception {
        Prerequisite.requireCommand("fish", "fish");
        Path script = write("castellan.fish", ok(cli().run("completion", "--shell", "fish")));

        String subcommands = run("fish", "--no-config", "-c", "source " + script + "; complete -C 'castellan '");
        String shells = run("fish", "--no-config", "-c", "source " + script + "; complete -C 'castellan completion --shell '");

        assertThat(subcommands.lines().map(l -> l.split("\t")[0])).contains("password", "devices", "completion");
        assertThat(shells.lines().map(l -> l.split("\t")[0])).contains("bash", "zsh", "fish", "powershell");
    }

    @Test
    void bashAndPowerShellScriptsNameEveryCommand() {
        assertThat(ok(cli().run("completion", "--shell", "bash"))).contains("complete -F").contains("registration-keys");
        assertThat(ok(cli().run("completion", "--shell", "powershell")))
                .contains("Register-ArgumentCompleter -Native -CommandName 'castellan'").contains("'registration-keys'");
    }

    @Test
    void theShellDefaultsToTheOneShellNamesElseBash() {
        assertThat(ok(cli().env("SHELL", "/usr/bin/fish").run("completion"))).startsWith("# fish completion for castellan");
        assertThat(ok(cli().env("SHELL", "/bin/zsh").run("completion"))).startsWith("#compdef castellan");
        assertThat(ok(cli().env("SHELL", "/bin/tcsh").run("completion"))).contains("complete -F");
        assertThat(ok(cli().run("completion"))).contains("complete -F");
        assertThat(ok(cli().env("SHELL", "/usr/bin/fish").run("completion", "bash"))).as("the old positional form")
                .contains("complete -F");
    }

    @Test
    void anUnsupportedShellIsAUsageErrorNamingTheChoices() {
        CliRunner.Result result = cli().run("completion", "--shell", "tcsh");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("unsupported shell 'tcsh'").contains("--shell bash, zsh, fish or powershell");
    }

    @Test
    void theHelpSaysHowToLoadEachShellsScript() {
        String help = ok(cli().run("completion", "--help"));

        assertThat(help).contains("source <(castellan completion --shell bash)")
                .contains("castellan completion --shell fish | source")
                .contains("bashcompinit").contains("untested").doesNotContain("${");
    }

    private static String ok(CliRunner.Result result) {
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        return result.stdout();
    }

    private Path write(String name, String text) throws Exception {
        Path file = home.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ":\n" + out).isZero();
        return out;
    }
}
