package org.castellan.agent.macos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.castellan.agent.macos.process.MacTools;

/**
 * Fake macOS tools as real executables: small shell scripts in a temp bin directory that record
 * each invocation (argv on one tab-separated line, full stdin in its own file) and print scripted
 * output. Responses are keyed by the exact arguments; {@code onCall} scripts the n-th such call.
 */
public final class FakeMacTools {
    public static final List<String> TOOLS = List.of("dscl", "dseditgroup", "sysadminctl", "launchctl", "sw_vers", "scutil", "fdesetup", "ioreg");

    private final Path bin;
    private final Path log;
    private final Path responses;

    public FakeMacTools(Path root) {
        this.bin = root.resolve("bin");
        this.log = root.resolve("log");
        this.responses = root.resolve("responses");
        try {
            Files.createDirectories(bin);
            Files.createDirectories(log);
            for (String tool : TOOLS) {
                Files.createDirectories(responses.resolve(tool));
                Path script = bin.resolve(tool);
                Files.writeString(script, script(tool));
                Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String script(String tool) {
        return "#!/bin/sh\n"
                + "tool='" + tool + "'\n"
                + "log='" + log + "'\n"
                + "resp='" + responses.resolve(tool) + "'\n"
                + "seq=$(( $(cat \"$log/seq\" 2>/dev/null || echo 0) + 1 )); echo $seq > \"$log/seq\"\n"
                + "line=\"$tool\"\n"
                + "for a in \"$@\"; do line=\"$line\t$a\"; done\n"
                + "printf '%s\\n' \"$line\" >> \"$log/argv.log\"\n"
                + "cat > \"$log/stdin.$seq\"\n"
                + "key=$(printf '%s_' \"$@\" | tr -c 'A-Za-z0-9._-' '_')\n"
                + "base=\"$resp/$key\"\n"
                + "n=$(( $(cat \"$base.count\" 2>/dev/null || echo 0) + 1 )); echo $n > \"$base.count\"\n"
                + "if [ -e \"$base.$n.rc\" ]; then pre=\"$base.$n\"; else pre=\"$base\"; fi\n"
                + "[ -f \"$base.hook\" ] && sh \"$base.hook\"\n"
                + "[ -f \"$pre.stdout\" ] && cat \"$pre.stdout\"\n"
                + "[ -f \"$pre.stderr\" ] && cat \"$pre.stderr\" >&2\n"
                + "[ -f \"$pre.rc\" ] && exit $(cat \"$pre.rc\")\n"
                + "exit 0\n";
    }

    public MacTools tools() {
        return MacTools.in(bin);
    }

    /** Every call of {@code tool} with exactly {@code args} answers like this (unless {@link #onCall} says otherwise). */
    public FakeMacTools respond(String tool, List<String> args, String stdout, String stderr, int exitCode) {
        write(responses.resolve(tool).resolve(key(args)), stdout, stderr, exitCode);
        return this;
    }

    /** The n-th (1-based) call of {@code tool} with exactly {@code args} answers like this. */
    public FakeMacTools onCall(int n, String tool, List<String> args, String stdout, String stderr, int exitCode) {
        write(responses.resolve(tool).resolve(key(args) + "." + n), stdout, stderr, exitCode);
        return this;
    }

    /** A shell snippet every call of {@code tool} with exactly {@code args} runs before answering. */
    public FakeMacTools hook(String tool, List<String> args, String shell) {
        try {
            Files.writeString(responses.resolve(tool).resolve(key(args) + ".hook"), shell);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    private static void write(Path base, String stdout, String stderr, int exitCode) {
        try {
            Files.writeString(base.resolveSibling(base.getFileName() + ".stdout"), stdout);
            Files.writeString(base.resolveSibling(base.getFileName() + ".stderr"), stderr);
            Files.writeString(base.resolveSibling(base.getFileName() + ".rc"), Integer.toString(exitCode));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Same key as the script: arguments joined with {@code _}, anything unusual mapped to {@code _}. */
    static String key(List<String> args) {
        StringBuilder key = new StringBuilder();
        for (String arg : args) {
            key.append(arg).append('_');
        }
        return key.toString().replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** Each invocation as [tool, arg1, arg2, ...], in order. */
    public List<List<String>> invocations() {
        Path file = log.resolve("argv.log");
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            List<List<String>> calls = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                calls.add(Arrays.asList(line.split("\t", -1)));
            }
            return calls;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The whole argv log as text: what {@code ps} could have seen. */
    public String argvLog() {
        try {
            Path file = log.resolve("argv.log");
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the n-th (1-based, across all tools) invocation read on stdin. */
    public String stdinOf(int invocation) {
        try {
            return Files.readString(log.resolve("stdin." + invocation), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
