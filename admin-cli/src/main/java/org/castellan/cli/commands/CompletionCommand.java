package org.castellan.cli.commands;

import org.castellan.cli.CastellanMain;
import picocli.CommandLine.Command;

/** {@code castellan completion [--shell bash|zsh|fish|powershell]}: $SHELL read through the CLI's {@code Host}. */
@Command(name = "completion", mixinStandardHelpOptions = true, description = {
        org.castellan.clidocs.CompletionCommand.DESCRIPTION_0, org.castellan.clidocs.CompletionCommand.DESCRIPTION_1,
        org.castellan.clidocs.CompletionCommand.DESCRIPTION_2, org.castellan.clidocs.CompletionCommand.DESCRIPTION_3,
        org.castellan.clidocs.CompletionCommand.DESCRIPTION_4, org.castellan.clidocs.CompletionCommand.DESCRIPTION_5})
public final class CompletionCommand extends org.castellan.clidocs.CompletionCommand {
    @Override
    protected String shellVariable() {
        return spec.root().userObject() instanceof CastellanMain main ? main.host().env("SHELL") : null;
    }

    /** A call builds only the verb it names (CastellanMain.commandLineFor): the script is made from every verb. */
    @Override
    protected picocli.CommandLine fullModel() {
        return CastellanMain.commandLine(((CastellanMain) spec.root().userObject()).host());
    }
}
