package org.castellan.agent.linux;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.castellan.agent.jit.JitGrants;
import org.castellan.agent.jit.JitStore;
import org.castellan.agent.spi.PlatformException;
import org.castellan.agent.state.StateDir;
import org.castellan.protocol.messages.JitGrant;
import org.castellan.protocol.messages.JitReport;

/**
 * Run by {@link SudoersNamespaceTest} inside a private mount namespace whose /etc is a copy: the
 * agent's real grant store ({@link JitGrants}) over the real {@link SudoersAdminRights}, one JVM per
 * step (so each step is also an agent restart). Prints the undelivered reports as {@code ID:STATE}.
 * <ul>
 *   <li>{@code STATE_DIR apply ID USER EPOCH_SECONDS}: the server lists this one grant</li>
 *   <li>{@code STATE_DIR sweep}: what the agent does at start and at each loop or timer run</li>
 *   <li>{@code corrupt USER EPOCH_SECONDS}: a drop-in visudo must refuse; prints {@code failed CODE MESSAGE}</li>
 * </ul>
 */
public final class JitSudoMain {
    private JitSudoMain() {}

    public static void main(String[] args) throws Exception {
        if (args[0].equals("corrupt")) {
            try {
                new SudoersAdminRights(SudoersAdminRights.SUDOERS_D,
                        (user, end) -> user + " ALL=(ALL:ALL) NOTAFTER=" + SudoersDropIn.sudoTime(end) + " ALL (\n")
                        .grant(args[1], Instant.ofEpochSecond(Long.parseLong(args[2])));
                System.out.println("installed");
            } catch (PlatformException e) {
                System.out.println("failed " + e.code() + " " + e.getMessage());
            }
            return;
        }
        StateDir dir = new StateDir(Path.of(args[0]));
        dir.create();
        JitGrants jit = new JitGrants(new JitStore(dir), new SudoersAdminRights(), Clock.systemUTC());
        if (args[1].equals("apply")) {
            jit.apply(List.of(new JitGrant(args[2], args[3], Instant.ofEpochSecond(Long.parseLong(args[4])))));
        } else {
            jit.sweep();
        }
        List<String> reports = jit.unsent().stream().map(r -> r.grantId() + ":" + r.state()
                + (r.state().equals(JitReport.FAILED) ? "(" + r.detail() + ")" : "")).toList();
        System.out.println(String.join(" ", reports));
    }
}
