package org.castellan.agent.cli;

import java.util.concurrent.Callable;
import org.castellan.agent.AgentException;
import org.castellan.agent.flow.CheckInCycle;
import org.castellan.agent.rotation.Recovery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "check-in", mixinStandardHelpOptions = true,
        description = "Checks in with the server now: finishes any interrupted rotation, then rotates if due.")
final class CheckInCommand implements Callable<Integer> {
    @Mixin
    StateDirOption stateDir = new StateDirOption();

    private final AgentContext context;

    CheckInCommand(AgentContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws AgentException {
        CheckInCycle.Result result = new CheckInCycle(context.platform().get(), context.stateDir(stateDir.stateDir),
                context.connector(), context.clock(), context.random()).run();
        if (result.recovery() != Recovery.NOTHING_PENDING) {
            context.out().println("interrupted rotation resolved: " + result.recovery().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (result.rotated()) {
            context.out().println("checked in; password of account " + result.account() + " rotated ("
                    + result.rotateReason() + ")");
        } else {
            context.out().println("checked in; no rotation due");
        }
        if (result.recoveryKeysSent()) {
            context.out().println("recovery keys escrowed");
        }
        for (String note : result.notes()) {
            context.out().println("warning: " + note);
        }
        return AgentMain.OK;
    }
}
