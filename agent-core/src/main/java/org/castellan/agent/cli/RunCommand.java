package org.castellan.agent.cli;

import java.util.concurrent.Callable;
import org.castellan.agent.flow.AgentLoop;
import org.castellan.agent.flow.CheckInCycle;
import org.castellan.agent.spi.Platform;
import org.castellan.agent.state.StateDir;
import org.castellan.agent.state.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Runs the agent as a service: checks in at the policy's interval until stopped.")
final class RunCommand implements Callable<Integer> {
    @Mixin
    StateDirOption stateDir = new StateDirOption();

    private final AgentContext context;

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    RunCommand(AgentContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        Platform platform = context.platform().get();
        StateDir dir = context.stateDir(stateDir.stateDir);
        new StateStore(dir).require(); // Fail at once, not in the loop, when not registered.
        CheckInCycle cycle = new CheckInCycle(platform, dir, context.connector(), context.clock(), context.random());
        org.castellan.agent.jit.JitGrants jit = cycle.jitGrants();
        platform.runAsService(new AgentLoop(() -> {
            CheckInCycle.Result result = cycle.run();
            result.notes().forEach(note -> LOG.warn("{}", note));
            return result.checkInSeconds();
        }, new AgentLoop.Expiries() {
            @Override
            public java.util.Optional<java.time.Instant> next() throws org.castellan.agent.AgentException {
                return jit.nextExpiry();
            }

            @Override
            public void sweep() throws org.castellan.agent.AgentException {
                cycle.sweepJit();
            }
        }, context.clock(), context.random()));
        return AgentMain.OK;
    }
}
