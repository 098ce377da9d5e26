package org.castellan.server.cli;

import picocli.CommandLine.Command;

/** {@code castellan-server completion [--shell bash|zsh|fish|powershell]}. */
@Command(name = "completion", mixinStandardHelpOptions = true, description = {
        org.castellan.clidocs.CompletionCommand.DESCRIPTION_0, org.castellan.clidocs.CompletionCommand.DESCRIPTION_1,
        org.castellan.clidocs.CompletionCommand.DESCRIPTION_2, org.castellan.clidocs.CompletionCommand.DESCRIPTION_3,
        org.castellan.clidocs.CompletionCommand.DESCRIPTION_4, org.castellan.clidocs.CompletionCommand.DESCRIPTION_5})
final class CompletionCommand extends org.castellan.clidocs.CompletionCommand {
    @Override
    protected String shellVariable() {
        return System.getenv("SHELL");
    }
}
