package org.castellan.cli.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.castellan.cli.CastellanMain;
import org.castellan.cli.Host;
import org.castellan.cli.Terminal;
import org.castellan.cli.commands.PasswordGetFastPath;
import picocli.CommandLine;

/**
 * Runs the real CLI in-process with captured stdout/stderr, an injected environment, stdin, home
 * directory and clock. Every run checks that no registered secret (the API token) shows up in
 * either stream, so promise 5 is asserted by every test.
 */
public final class CliRunner {
    public static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    private final Path home;
    private final Map<String, String> environment = new HashMap<>();
    private final List<String> secrets = new ArrayList<>();
    private final List<String> argvSecrets = new ArrayList<>();
    private String stdin = "";
    private Terminal terminal;
    private boolean picocliOnly;

    public CliRunner(Path home) {
        this.home = home;
    }

    public CliRunner env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    public CliRunner stdin(String text) {
        this.stdin = text;
        return this;
    }

    /** Runs as if interactive, with this terminal (default: none, as in a script). */
    public CliRunner terminal(Terminal terminal) {
        this.terminal = terminal;
        return this;
    }

    /**
     * A secret the CLI reads as the first line of stdin: it must appear neither in any output nor
     * in the arguments of the run.
     */
    public CliRunner secretOnStdin(String value) {
        secret(value);
        argvSecrets.add(value);
        return stdin(value + "\n");
    }

    /** A value that must never appear in any output. */
    public CliRunner secret(String value) {
        secrets.add(value);
        return this;
    }

    /**
     * Parses every command line with picocli, as if {@code password get} had no fast path (by
     * default a run goes as {@code Castellan.main} goes: the fast path first).
     */
    public CliRunner picocliOnly() {
        this.picocliOnly = true;
        return this;
    }

    public Result run(String... args) {
        for (String arg : args) {
            for (String secret : argvSecrets) {
                assertThat(arg).as("a test must not pass a secret as an argument").doesNotContain(secret);
            }
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        InputStream in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
        Host host = new Host(Map.copyOf(environment), in, home, Clock.fixed(NOW, ZoneOffset.UTC), terminal);
        Integer fast = picocliOnly ? null
                : PasswordGetFastPath.run(host, args, new PrintWriter(out, true), new PrintWriter(err, true));
        int exitCode;
        if (fast != null) {
            exitCode = fast;
        } else {
            CommandLine commandLine = CastellanMain.commandLineFor(host, args);
            commandLine.setOut(new PrintWriter(out, true));
            commandLine.setErr(new PrintWriter(err, true));
            exitCode = commandLine.execute(args);
        }
        Result result = new Result(exitCode, out.toString(), err.toString());
        for (String secret : secrets) {
            assertThat(result.stdout()).as("stdout must not hold a secret").doesNotContain(secret);
            assertThat(result.stderr()).as("stderr must not hold a secret").doesNotContain(secret);
        }
        return result;
    }

    /** What one run produced. */
    public record Result(int exitCode, String stdout, String stderr) {}
}
