package org.castellan.agent.cli;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.castellan.agent.AgentException;
import org.castellan.agent.flow.CheckInCycle;
import org.castellan.agent.flow.CheckInSchedule;
import org.castellan.agent.rotation.Recovery;
import org.castellan.agent.state.RotationJournal;
import org.castellan.agent.state.StateDir;
import org.castellan.agent.state.StateStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "check-in", mixinStandardHelpOptions = true,
        description = "Checks in with the server now: finishes any interrupted rotation, then rotates if due.")
final class CheckInCommand implements Callable<Integer> {
    @Mixin
    StateDirOption stateDir = new StateDirOption();

    @Option(names = "--if-due", description = "Check in only when the policy's check-in interval has passed since "
            + "the last check-in (or it failed, or a rotation is unfinished); otherwise exit 0 at once. What a "
            + "timer (systemd timer, launchd StartInterval, scheduled task) runs instead of a resident 'run'.")
    boolean ifDue;

    private final AgentContext context;

    CheckInCommand(AgentContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws AgentException {
        StateDir dir = context.stateDir(stateDir.stateDir);
        if (ifDue) {
            Optional<Instant> notBefore = CheckInSchedule.notDueUntil(new StateStore(dir).require(),
                    new RotationJournal(dir).read().isPresent(), context.clock().instant());
            if (notBefore.isPresent()) {
                // Each timer run still ends just-in-time grants whose time is up, server or not.
                new CheckInCycle(context.platform().get(), dir, context.connector(), context.clock(), context.random())
                        .sweepJit();
                context.out().println("not due; next check-in after " + notBefore.get());
                return AgentMain.OK;
            }
        }
        CheckInCycle.Result result = new CheckInCycle(context.platform().get(), dir,
                context.connector(), context.clock(), context.random()).run();
        if (result.recovery() != Recovery.NOTHING_PENDING) {
            context.out().println("interrupted rotation resolved: " + result.recovery().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (result.rotated()) {
            context.out().println("checked in; password of account " + result.account() + " rotated: "
                    + why(result.rotateReason()));
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

    /** The server's (or the recovery's) reason to rotate, as a sentence. */
    static String why(String reason) {
        if (reason == null) {
            return "no reason given";
        }
        return switch (reason) {
            case "no-password" -> "first password set: the server held none";
            case "requested" -> "an admin asked for a new password";
            case "max-age" -> "the password reached the policy's maximum age";
            case "expired" -> "the password was read and expired (rotate after read)";
            case "account-changed" -> "the managed account changed";
            case "repair-after-recovery" -> "repairing an interrupted rotation the server never committed";
            case "replace-unverified-password" -> "replacing a password that could not be proven to work";
            default -> "the server's reason: " + reason;
        };
    }
}
