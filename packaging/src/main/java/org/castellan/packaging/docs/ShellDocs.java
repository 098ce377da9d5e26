package org.castellan.packaging.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.AutoComplete;
import picocli.CommandLine;

/**
 * Completion scripts (bash, zsh, fish, PowerShell) and man pages of {@code castellan},
 * {@code castellan-agent} and {@code castellan-server}, all generated at build time from the
 * same picocli command models the binaries run, so they cannot drift from the commands:
 * <pre>
 *   OUT/completion/bash/NAME        bash (picocli's AutoComplete)
 *   OUT/completion/zsh/_NAME        zsh: the same script through bashcompinit
 *   OUT/completion/fish/NAME.fish   fish ({@link FishCompletion})
 *   OUT/completion/powershell/NAME.ps1   PowerShell ({@link PowerShellCompletion}; untested: no PowerShell here)
 *   OUT/man/NAME.1                  man page ({@link ManPage})
 * </pre>
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
            String bash = AutoComplete.bash(name, cli);
            write(out.resolve("completion/bash/" + name), bash);
            write(out.resolve("completion/zsh/_" + name), "#compdef " + name + "\n"
                    + "# zsh loads this bash completion through bashcompinit.\n"
                    + "(( $+functions[compdef] )) || { autoload -U +X compinit && compinit -D; }\n"
                    + "(( $+functions[complete] )) || { autoload -U +X bashcompinit && bashcompinit; }\n" + bash);
            write(out.resolve("completion/fish/" + name + ".fish"), FishCompletion.of(name, cli));
            write(out.resolve("completion/powershell/" + name + ".ps1"), PowerShellCompletion.of(name, cli));
            write(out.resolve("man/" + name + ".1"), ManPage.of(name, cli));
        }
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
