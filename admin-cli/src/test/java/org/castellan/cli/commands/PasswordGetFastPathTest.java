package org.castellan.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.castellan.cli.CastellanMain;
import org.castellan.cli.Host;
import org.castellan.cli.OutputFormat;
import org.castellan.cli.config.ConnectionFlags;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/**
 * The fast path of {@code password get} takes a command line only when picocli would parse it to
 * the same values: checked here on every argument vector built from a pool of plain, odd and wrong
 * spellings, in every position, against both the one-verb model {@code main} uses and the whole one.
 */
class PasswordGetFastPathTest {
    private static final Host HOST = new Host(Map.of(), new ByteArrayInputStream(new byte[0]), Path.of("/nonexistent"),
            Clock.systemUTC());

    /** Option spellings, plain and not, each one or two arguments. */
    private static final List<List<String>> GLOBALS = List.of(
            List.of("--server", "https://castellan.example:8443"), List.of("--server=https://h:8443/api/v1"),
            List.of("--token", "-"), List.of("--token=cst_abc"), List.of("--token", "cst_x=y"),
            List.of("--token-file", "/tmp/token"), List.of("--token-file=rel/token"),
            List.of("--server-fingerprint", "AB:CD:EF"), List.of("--server-fingerprint=abcdef"),
            List.of("-o", "json"), List.of("-o", "JSON"), List.of("--output", "wide"), List.of("--output=table"),
            List.of("-o", "text"), List.of("--config", "/etc/castellan.json"), List.of("--config=c.json"),
            // not plain: picocli parses (or refuses) these
            List.of("-ojson"), List.of("-o=json"), List.of("-o", "bogus"), List.of("--output="), List.of("-h"),
            List.of("--help"), List.of("-V"), List.of("--version"), List.of("--"), List.of("@argfile"),
            List.of("--server", "password"), List.of("--server", "-x"), List.of("--token", "--reason"),
            List.of("--unknown", "x"), List.of("-x"), List.of("--serv", "x"), List.of("--Server", "x"),
            List.of("--server", "get"), List.of("--config", "history"), List.of("--token="), List.of("-o"),
            List.of("--token", "@t"));
    private static final List<List<String>> LOCALS = List.of(
            List.of("--reason", "ticket 42"), List.of("--reason=a=b"), List.of("--reason", "why?"),
            List.of("--device-id", "id-b"), List.of("--device-id=5f0c"), List.of("--reason", "rotate"),
            List.of("--reason", "-"), List.of("--reason", ""), List.of("--reason", "-x"), List.of("--device-id"),
            List.of("--reason", "@r"), List.of("--reason", "get"), List.of("--reason", "history"));
    private static final List<List<String>> WORDS = List.of(
            List.of("password", "get", "web01"), List.of("password", "get", "WEB-01.example.org"),
            List.of("password", "get", "history"), List.of("password", "get", "rotate"),
            List.of("password", "get", "password"), List.of("password", "get", "a=b"), List.of("password", "get"),
            List.of("password", "get", "web01", "web02"), List.of("password", "history", "web01"),
            List.of("password", "web01"), List.of("passwords", "get", "web01"), List.of("get", "password", "web01"),
            List.of("password"), List.of(), List.of("password", "get", "-"), List.of("password", "get", ""),
            List.of("password", "get", "@host"));

    @Test
    void everyCommandLineTakenParsesToWhatPicocliParses() {
        Random random = new Random(14);
        Set<List<String>> vectors = new LinkedHashSet<>();
        for (List<String> words : WORDS) {
            vectors.add(words);
            for (List<String> option : GLOBALS) {
                for (int at = 0; at <= words.size(); at++) {
                    vectors.add(insert(words, at, option));
                }
            }
            for (List<String> option : LOCALS) {
                for (int at = 0; at <= words.size(); at++) {
                    vectors.add(insert(words, at, option));
                }
            }
        }
        for (int n = 0; n < 1200; n++) {
            List<String> vector = new ArrayList<>(WORDS.get(random.nextInt(3)));
            int options = 1 + random.nextInt(4);
            for (int k = 0; k < options; k++) {
                List<List<String>> pool = random.nextBoolean() ? GLOBALS : LOCALS;
                // mostly plain spellings, so that many lines are taken and compared
                List<String> option = pool.get(random.nextInt(random.nextInt(4) == 0 ? pool.size() : 6));
                vector = insert(vector, random.nextInt(vector.size() + 1), option);
            }
            vectors.add(vector);
        }

        int taken = 0;
        for (List<String> vector : vectors) {
            String[] args = vector.toArray(String[]::new);
            PasswordGetFastPath.Parsed fast = PasswordGetFastPath.parse(args);
            if (fast == null) {
                continue;
            }
            taken++;
            assertThat(picocli(CastellanMain.commandLineFor(HOST, args), args)).as("%s", vector).isEqualTo(fast);
            assertThat(picocli(CastellanMain.commandLine(HOST), args)).as("%s (whole model)", vector).isEqualTo(fast);
        }
        assertThat(taken).as("command lines the fast path takes, of %d", vectors.size()).isGreaterThan(100);
    }

    @Test
    void thePlainSpellingsAreTaken() {
        assertThat(PasswordGetFastPath.parse(new String[] {"password", "get", "web01"})).isNotNull();
        assertThat(PasswordGetFastPath.parse(new String[] {"password", "get", "web01", "--reason", "ticket 42",
                "--device-id", "id-b", "-o", "json"})).isNotNull();
        assertThat(PasswordGetFastPath.parse(new String[] {"--token", "-", "--server=https://h", "password", "get",
                "web01"})).isNotNull();
    }

    @Test
    void helpVersionTyposAndOddSpellingsAreLeftToPicocli() {
        for (String[] args : new String[][] {{"password", "get", "-h"}, {"password", "get", "web01", "--help"},
                {"-V", "password", "get", "web01"}, {"password", "get"}, {"password", "get", "web01", "--reson", "x"},
                {"password", "get", "web01", "-ojson"}, {"password", "get", "web01", "--reason", "a", "--reason", "b"},
                {"password", "--reason", "x", "get", "web01"}, {"@args"}, {"password", "get", "--", "web01"},
                {"password", "get", "web01", "-o", "yaml"}}) {
            assertThat(PasswordGetFastPath.parse(args)).as(Arrays.toString(args)).isNull();
        }
    }

    private static List<String> insert(List<String> words, int at, List<String> option) {
        List<String> vector = new ArrayList<>(words.subList(0, at));
        vector.addAll(option);
        vector.addAll(words.subList(at, words.size()));
        return vector;
    }

    /** What picocli makes of {@code args}: the values {@code password get} would run with; failing when it would not run it. */
    private static PasswordGetFastPath.Parsed picocli(CommandLine commandLine, String[] args) {
        ParseResult root;
        try {
            root = commandLine.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new AssertionError("picocli refuses " + Arrays.toString(args) + ": " + e.getMessage(), e);
        }
        for (ParseResult level = root; level != null; level = level.subcommand()) {
            assertThat(level.isUsageHelpRequested() || level.isVersionHelpRequested()).as("help asked").isFalse();
            assertThat(level.unmatched()).as("unmatched").isEmpty();
        }
        assertThat(root.subcommand()).as("a verb").isNotNull();
        assertThat(root.subcommand().commandSpec().name()).isEqualTo("password");
        ParseResult get = root.subcommand().subcommand();
        assertThat(get).as("password's subcommand").isNotNull();
        assertThat(get.commandSpec().name()).isEqualTo("get");
        assertThat(get.subcommand()).isNull();
        CommandSpec globals = root.commandSpec();
        PasswordGetCommand command = (PasswordGetCommand) get.commandSpec().userObject();
        ConnectionFlags flags = new ConnectionFlags(globals.findOption("--server").getValue(),
                globals.findOption("--token").getValue(), globals.findOption("--token-file").getValue(),
                globals.findOption("--server-fingerprint").getValue(), globals.findOption("--config").getValue());
        OutputFormat format = globals.findOption("--output").getValue();
        return new PasswordGetFastPath.Parsed(flags, format, command.target.hostname, command.target.deviceId,
                command.reason);
    }
}
