package org.castellan.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.castellan.testsupport.Prerequisite;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The completion scripts and man pages the build generated from the picocli models
 * (target/shell-docs, ShellDocs) load in the real shells and render with the real man: bash and zsh
 * (through bashcompinit) offer the subcommands, fish's {@code complete -C} does, {@code man -l}
 * renders every command. PowerShell's script is generated but not run (no PowerShell here).
 */
class ShellDocsIT {
    static final Path DOCS = PackageAgent.jars().resolve("shell-docs");

    @ParameterizedTest
    @ValueSource(strings = {"castellan", "castellan-agent", "castellan-server"})
    void bashCompletesTheSubcommands(String program) throws Exception {
        String out = run("bash", "-c", "source " + DOCS.resolve("completion/bash/" + program)
                + " && COMP_WORDS=(" + program + " '') COMP_CWORD=1 COMP_LINE='" + program + " ' COMP_POINT="
                + (program.length() + 1) + " && $(complete -p " + program + " | sed -E 's/.*-F ([^ ]+).*/\\1/')"
                + " && printf '%s\\n' \"${COMPREPLY[@]}\"");
        assertThat(out.lines()).contains(firstSubcommand(program));
    }

    @ParameterizedTest
    @ValueSource(strings = {"castellan", "castellan-agent", "castellan-server"})
    void zshLoadsTheCompletion(String program) throws Exception {
        Prerequisite.require(Files.isExecutable(Path.of("/usr/bin/zsh")), "zsh", "apt-get install zsh");
        String out = run("zsh", "-fc", "source " + DOCS.resolve("completion/zsh/_" + program)
                + " && print -r -- ${_comps[" + program + "]}");
        assertThat(out.strip()).as("zsh has a completion function for " + program).isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"castellan", "castellan-agent", "castellan-server"})
    void fishCompletesSubcommandsAndOptions(String program) throws Exception {
        Prerequisite.require(Files.isExecutable(Path.of("/usr/bin/fish")), "fish", "apt-get install fish");
        String script = DOCS.resolve("completion/fish/" + program + ".fish").toString();
        String subcommands = run("fish", "--no-config", "-c", "source " + script + "; complete -C '" + program + " '");
        assertThat(subcommands.lines().map(l -> l.split("\t")[0])).contains(firstSubcommand(program));
        String options = run("fish", "--no-config", "-c", "source " + script + "; complete -C '" + program + " "
                + firstSubcommand(program) + " --'");
        assertThat(options).contains("--help");
    }

    @ParameterizedTest
    @ValueSource(strings = {"castellan", "castellan-agent", "castellan-server"})
    void theManPageRenders(String program) throws Exception {
        Prerequisite.require(Files.isExecutable(Path.of("/usr/bin/man")), "man", "apt-get install man-db");
        String page = run("env", "MANWIDTH=100", "MAN_KEEP_FORMATTING=", "man", "-l", "-P", "cat",
                DOCS.resolve("man/" + program + ".1").toString());
        assertThat(page).contains("NAME").contains(program).contains("COMMANDS").contains(firstSubcommand(program))
                .doesNotContain("\\f").doesNotContain("\\-");
    }

    @ParameterizedTest
    @ValueSource(strings = {"castellan", "castellan-agent", "castellan-server"})
    void powerShellScriptIsGeneratedButNotRun(String program) throws Exception {
        assertThat(Files.readString(DOCS.resolve("completion/powershell/" + program + ".ps1")))
                .contains("Register-ArgumentCompleter -Native -CommandName '" + program + "'")
                .contains("'" + firstSubcommand(program) + "'");
    }

    private static String firstSubcommand(String program) {
        return Map.of("castellan", "password", "castellan-agent", "register", "castellan-server", "serve").get(program);
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ":\n" + out).isZero();
        return out;
    }
}
