package org.castellan.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The check-in fast path takes a command line only when picocli parses it to the same values:
 * checked on every vector built from plain, odd and wrong spellings, in every order, against both
 * the one-subcommand model {@code run} uses and the whole one.
 */
class CheckInFastPathTest {
    private static final PrintStream NOWHERE = new PrintStream(OutputStream.nullOutputStream());
    private static final AgentContext CONTEXT = new AgentContext(() -> {
        throw new AssertionError("parsing needs no platform");
    }, Map.of(), new ByteArrayInputStream(new byte[0]), NOWHERE, NOWHERE, Clock.systemUTC(), new SecureRandom(),
            (url, fingerprint, key, deviceId) -> {
                throw new AssertionError("parsing connects nowhere");
            });

    private static final List<List<String>> PARTS = List.of(
            List.of("--state-dir", "/var/lib/castellan-agent"), List.of("--state-dir=/tmp/state"),
            List.of("--state-dir", "rel dir"), List.of("--if-due"), List.of("--state-dir", "run"),
            List.of("--state-dir", "check-in"), List.of("--state-dir=a=b"),
            // not plain
            List.of("--if-due=true"), List.of("--state-dir"), List.of("--state-dir="), List.of("--state-dir", "-x"),
            List.of("--state-dir", "@f"), List.of("-h"), List.of("--help"), List.of("-V"), List.of("--"),
            List.of("@args"), List.of("--statedir", "x"), List.of("--if-du"), List.of("extra"), List.of("-x"),
            List.of("--state-dir", "--if-due"));

    @Test
    void everyCommandLineTakenParsesToWhatPicocliParses() {
        Set<List<String>> vectors = new LinkedHashSet<>();
        vectors.add(List.of("check-in"));
        for (List<String> a : PARTS) {
            vectors.add(concat(List.of("check-in"), a));
            vectors.add(concat(a, List.of("check-in")));
            vectors.add(concat(List.of("run"), a));
            for (List<String> b : PARTS) {
                vectors.add(concat(concat(List.of("check-in"), a), b));
                for (List<String> c : PARTS.subList(0, 8)) {
                    vectors.add(concat(concat(concat(List.of("check-in"), a), b), c));
                }
            }
        }
        int taken = 0;
        for (List<String> vector : vectors) {
            String[] args = vector.toArray(String[]::new);
            CheckInFastPath.Parsed fast = CheckInFastPath.parse(args);
            if (fast == null) {
                continue;
            }
            taken++;
            assertThat(picocli(AgentMain.commandLineFor(CONTEXT, args), args)).as("%s", vector).isEqualTo(fast);
            assertThat(picocli(AgentMain.commandLine(CONTEXT), args)).as("%s (whole model)", vector).isEqualTo(fast);
        }
        assertThat(taken).as("command lines taken, of %d", vectors.size()).isGreaterThan(15);
    }

    @Test
    void helpTyposAndOtherCommandsAreLeftToPicocli() {
        for (String[] args : new String[][] {{"check-in", "-h"}, {"check-in", "--help"}, {"check-in", "--if-due",
                "--if-due"}, {"check-in", "--state-dir", "a", "--state-dir", "b"}, {"run"}, {}, {"--state-dir", "x",
                "check-in"}, {"check-in", "--state-dir"}, {"check-in", "x"}}) {
            assertThat(CheckInFastPath.parse(args)).as(Arrays.toString(args)).isNull();
        }
        assertThat(CheckInFastPath.parse(new String[] {"check-in", "--if-due", "--state-dir", "/s"}))
                .isEqualTo(new CheckInFastPath.Parsed(Path.of("/s"), true));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static CheckInFastPath.Parsed picocli(CommandLine commandLine, String[] args) {
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
        ParseResult checkIn = root.subcommand();
        assertThat(checkIn).isNotNull();
        assertThat(checkIn.commandSpec().name()).isEqualTo("check-in");
        CheckInCommand command = (CheckInCommand) checkIn.commandSpec().userObject();
        return new CheckInFastPath.Parsed(command.stateDir.stateDir, command.ifDue);
    }
}
