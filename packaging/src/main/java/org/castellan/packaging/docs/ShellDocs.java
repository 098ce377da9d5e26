package org.castellan.packaging.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.castellan.clidocs.Completion;
import picocli.CommandLine;

/**
 * Completion scripts (bash, zsh, fish, PowerShell) and man pages of {@code castellan},
 * {@code castellan-agent} and {@code castellan-server}, all generated at build time from the
 * same picocli command models the binaries run, so they cannot drift from the commands:
 * <pre>
 *   OUT/completion/bash/NAME        bash (picocli's AutoComplete)
 *   OUT/completion/zsh/_NAME        zsh: the same script through bashcompinit
 *   OUT/completion/fish/NAME.fish   fish
 *   OUT/completion/powershell/NAME.ps1   PowerShell (untested: no PowerShell here)
 *   OUT/man/NAME.1                  man page ({@link ManPage})
 * </pre>
 * The scripts are {@link Completion}'s, the same text each binary's {@code completion --shell} prints.
 */
public final class ShellDocs {
    private ShellDocs() {}

    public static Map<String, Supplier<CommandLine>> programs() {
        Map<String, Supplier<CommandLine>> programs = new LinkedHashMap<>();
        programs.put("castellan", () -> org.castellan.cli.CastellanMain.commandLine(org.castellan.cli.Host.system()));
        programs.put("castellan-agent", () -> org.castellan.agent.cli.AgentMain.commandLine(
                org.castellan.agent.cli.AgentContext.system()));
        programs.put("castellan-server", org.castellan.server.cli.ServerMain::commandLine);
        return programs;
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        for (Map.Entry<String, Supplier<CommandLine>> program : programs().entrySet()) {
            String name = program.getKey();
            CommandLine cli = program.getValue().get();
            write(out.resolve("completion/bash/" + name), Completion.script("bash", name, cli));
            write(out.resolve("completion/zsh/_" + name), Completion.script("zsh", name, cli));
            write(out.resolve("completion/fish/" + name + ".fish"), Completion.script("fish", name, cli));
            write(out.resolve("completion/powershell/" + name + ".ps1"), Completion.script("powershell", name, cli));
            write(out.resolve("man/" + name + ".1"), ManPage.of(name, cli));
        }
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
