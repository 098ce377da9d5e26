package org.castellan.cli.commands;

import picocli.CommandLine.Command;

/** {@code castellan jit approve ID}: the second person's approval (the requester's own is refused). */
@Command(name = "approve", description = "Approve someone else's pending request; the right's time starts now.")
final class JitApproveCommand extends JitGrantAction {
    @Override
    String verb() {
        return "approve";
    }
}
