package org.castellan.agent.windows.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CommandLinesTest {
    /**
     * The splitting rules of CommandLineToArgvW / the MSVC runtime ("Parsing C++ command-line
     * arguments"), written out so the quoting can be checked by round trip.
     */
    static List<String> parse(String line) {
        List<String> args = new ArrayList<>();
        int i = 0;
        StringBuilder program = new StringBuilder();
        if (line.charAt(0) == '"') {
            i = 1;
            while (i < line.length() && line.charAt(i) != '"') {
                program.append(line.charAt(i++));
            }
            i++;
        } else {
            while (i < line.length() && line.charAt(i) != ' ' && line.charAt(i) != '\t') {
                program.append(line.charAt(i++));
            }
        }
        args.add(program.toString());
        while (true) {
            while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
                i++;
            }
            if (i >= line.length()) {
                return args;
            }
            StringBuilder arg = new StringBuilder();
            boolean quoted = false;
            while (i < line.length()) {
                char c = line.charAt(i);
                if (!quoted && (c == ' ' || c == '\t')) {
                    break;
                }
                if (c == '\\') {
                    int n = 0;
                    while (i < line.length() && line.charAt(i) == '\\') {
                        n++;
                        i++;
                    }
                    if (i < line.length() && line.charAt(i) == '"') {
                        arg.append("\\".repeat(n / 2));
                        if (n % 2 == 1) {
                            arg.append('"');
                            i++;
                        }
                    } else {
                        arg.append("\\".repeat(n));
                    }
                    continue;
                }
                if (c == '"') {
                    if (quoted && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        arg.append('"'); // "" inside quotes: a literal quote
                        i += 2;
                        continue;
                    }
                    quoted = !quoted;
                    i++;
                    continue;
                }
                arg.append(c);
                i++;
            }
            args.add(arg.toString());
        }
    }

    @Test
    void programPathIsAlwaysQuotedAgainstTheUnquotedServicePathHole() {
        String line = CommandLines.toCommandLine(List.of("C:\\Program Files\\Castellan\\jre\\bin\\java.exe", "-jar",
                "C:\\Program Files\\Castellan\\castellan-agent.jar", "run", "--state-dir", "C:\\ProgramData\\Castellan"));

        assertThat(line).isEqualTo("\"C:\\Program Files\\Castellan\\jre\\bin\\java.exe\" -jar "
                + "\"C:\\Program Files\\Castellan\\castellan-agent.jar\" run --state-dir C:\\ProgramData\\Castellan");
        assertThat(CommandLines.toCommandLine(List.of("C:\\jre\\java.exe"))).isEqualTo("\"C:\\jre\\java.exe\"");
    }

    @Test
    void trailingBackslashesBeforeTheClosingQuoteAreDoubled() {
        String line = CommandLines.toCommandLine(List.of("java.exe", "--state-dir", "C:\\Data Dir\\"));

        assertThat(line).endsWith("\"C:\\Data Dir\\\\\"");
        assertThat(parse(line)).containsExactly("java.exe", "--state-dir", "C:\\Data Dir\\");
    }

    @Test
    void embeddedQuotesAndBackslashesSurviveTheRoundTrip() {
        List<String> command = List.of("C:\\a b\\java.exe", "say \"hi\"", "a\\\"b", "\\\\server\\share", "", "tab\there",
                "-Dx=\"\"", "ends\\\\");

        assertThat(parse(CommandLines.toCommandLine(command))).isEqualTo(command);
    }

    @Test
    void randomArgumentsRoundTripThroughCommandLineToArgvRules() {
        Random random = new Random(42);
        String alphabet = "ab \\\"\t-=:";
        for (int round = 0; round < 2000; round++) {
            List<String> command = new ArrayList<>();
            command.add("C:\\Program Files\\x\\java.exe");
            for (int a = 0; a < 1 + random.nextInt(4); a++) {
                StringBuilder arg = new StringBuilder();
                for (int c = 0; c < random.nextInt(8); c++) {
                    arg.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                command.add(arg.toString());
            }
            assertThat(parse(CommandLines.toCommandLine(command))).as("round %d", round).isEqualTo(command);
        }
    }

    @Test
    void programPathWithAQuoteIsRefused() {
        assertThatThrownBy(() -> CommandLines.toCommandLine(List.of("C:\\a\"b\\java.exe")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CommandLines.toCommandLine(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
