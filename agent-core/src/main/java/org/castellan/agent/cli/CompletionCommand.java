package org.castellan.agent.cli;

import picocli.CommandLine.Command;

/** {@code castellan-agent completion [--shell bash|zsh|fish|powershell]}, $SHELL from the agent's environment. */
@Command(name = "completion", mixinStandardHelpOptions = true, description = {
        org.castellan.clidocs.CompletionCommand.DESCRIPTION_0, org.castellan.clidocs.CompletionCommand.DESCRIPTION_1,
        org.castellan.clidocs.CompletionCommand.DESCRIPTION_2, org.castellan.clidocs.CompletionCommand.DESCRIPTION_3,
        org.castellan.clidocs.CompletionCommand.DESCRIPTION_4, org.castellan.clidocs.CompletionCommand.DESCRIPTION_5})
final class CompletionCommand extends org.castellan.clidocs.CompletionCommand {
    private final AgentContext context;

    CompletionCommand(AgentContext context) {
        this.context = context;
    }

    @Override
    protected String shellVariable() {
        return context.env().get("SHELL");
    }

    /** A call builds only the subcommand it names (AgentMain.commandLineFor): the script is made from all of them. */
    @Override
    protected picocli.CommandLine fullModel() {
        return AgentMain.commandLine(context);
    }
}
