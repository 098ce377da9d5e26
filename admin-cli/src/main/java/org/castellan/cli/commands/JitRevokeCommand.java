package org.castellan.cli.commands;

import picocli.CommandLine.Command;

/** {@code castellan jit revoke ID}: ends a pending or active request now; the agent removes the right at its next check-in. */
@Command(name = "revoke", description = "End a pending or active request now; the device removes the right at its next check-in.")
final class JitRevokeCommand extends JitGrantAction {
    @Override
    String verb() {
        return "revoke";
    }
}
