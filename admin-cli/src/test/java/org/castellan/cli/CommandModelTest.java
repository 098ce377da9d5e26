package org.castellan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.castellan.cli.testing.CliRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The one-verb command line that a call builds must behave as the whole one does. */
class CommandModelTest {
    @TempDir
    Path home;

    private Host host() {
        return new Host(Map.of(), new ByteArrayInputStream(new byte[0]), home, Clock.systemUTC(), null);
    }

    @Test
    void everyCommandHelpsTheSameInTheOneVerbModel() {
        CommandLine full = CastellanMain.commandLine(host());
        assertThat(full.getSubcommands()).hasSizeGreaterThan(10);
        for (Map.Entry<String, CommandLine> verb : full.getSubcommands().entrySet()) {
            CommandLine alone = CastellanMain.commandLineFor(host(), verb.getKey(), "--help");
            assertThat(alone.getSubcommands()).as(verb.getKey()).containsOnlyKeys(verb.getKey());
            assertSameHelp(verb.getValue(), alone.getSubcommands().get(verb.getKey()));
        }
    }

    private static void assertSameHelp(CommandLine expected, CommandLine actual) {
        assertThat(actual.getUsageMessage()).as(expected.getCommandSpec().qualifiedName()).isEqualTo(expected.getUsageMessage());
        assertThat(actual.getSubcommands().keySet()).isEqualTo(expected.getSubcommands().keySet());
        for (Map.Entry<String, CommandLine> sub : expected.getSubcommands().entrySet()) {
            assertSameHelp(sub.getValue(), actual.getSubcommands().get(sub.getKey()));
        }
    }

    @Test
    void theVerbIsFoundAfterGlobalOptionsAndTheirValues() {
        assertThat(verbOf("password", "get", "vm")).isEqualTo("password");
        assertThat(verbOf("--server", "https://x:8443", "-o", "json", "devices", "list")).isEqualTo("devices");
        assertThat(verbOf("--output=json", "--token-file", "devices", "audit")).isEqualTo("audit");
        assertThat(verbOf("-ojson", "rules", "list")).isEqualTo("rules");
        // a value that happens to be a verb's name is a value, not the verb
        assertThat(verbOf("--config", "rules", "users", "list")).isEqualTo("users");
    }

    @Test
    void helpTyposAndUnknownOptionsGetEveryVerb() {
        int all = CastellanMain.commandLine(host()).getSubcommands().size();
        for (String[] args : new String[][] {{}, {"--help"}, {"-h", "password"}, {"--version"}, {"pasword", "get"},
                {"--bogus", "password"}, {"--", "password"}}) {
            assertThat(CastellanMain.commandLineFor(host(), args).getSubcommands()).as(String.join(" ", args)).hasSize(all);
        }
    }

    @Test
    void aMistypedVerbIsStillCorrected() {
        CliRunner.Result result = new CliRunner(home).run("pasword", "get", "vm");
        assertThat(result.exitCode()).isEqualTo(CliException.USAGE);
        assertThat(result.stderr()).contains("password");
    }

    private String verbOf(String... args) {
        CommandLine cli = CastellanMain.commandLineFor(host(), args);
        assertThat(cli.getSubcommands()).hasSize(1);
        return cli.getSubcommands().keySet().iterator().next();
    }
}
