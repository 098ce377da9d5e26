package org.castellan.agent.cli;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import org.castellan.agent.AgentException;
import org.castellan.agent.config.ConfigException;
import org.castellan.agent.selftest.SelfTest;
import org.castellan.agent.spi.DiagnosticCheck;
import org.castellan.agent.spi.Platform;
import org.castellan.agent.spi.PlatformException;
import org.castellan.agent.state.StateDir;
import org.castellan.agent.state.StateLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "selftest", mixinStandardHelpOptions = true,
        description = "Proves every platform call the agent makes, on a disposable local account that it creates, "
                + "sets two generated passwords on through the production path, checks, and deletes. The first "
                + "command to run on a new OS. Needs no server and no registration. Exit 1 when a step fails.")
final class SelfTestCommand implements Callable<Integer> {
    @Mixin
    StateDirOption stateDir = new StateDirOption();

    @Option(names = "--throwaway-account", required = true,
            description = "Required: create (and delete again) a throwaway local account for the test.")
    boolean throwawayAccount;

    private final AgentContext context;

    SelfTestCommand(AgentContext context) {
        this.context = context;
    }

    @Override
    @SuppressWarnings("try") // The lock is held while the selftest runs.
    public Integer call() throws AgentException {
        if (!throwawayAccount) {
            throw new ConfigException("selftest needs --throwaway-account: it creates and deletes a local account");
        }
        Platform platform = context.platform().get();
        StateDir dir = context.stateDir(stateDir.stateDir);
        try {
            dir.create();
            platform.secureStateDir(dir.path());
        } catch (IOException | PlatformException e) {
            throw new AgentException("prepare state directory " + dir, e);
        }
        List<DiagnosticCheck> steps;
        try (StateLock lock = StateLock.acquire(dir)) {
            context.out().println("castellan-agent selftest on " + platform.os() + " (" + platform.osInfo().osVersion() + ")");
            steps = new SelfTest(platform, dir, context.clock(), context.random(), step ->
                    context.out().printf("[%-4s] %s: %s%n", step.status().label(), step.name(), step.detail())).run();
        }
        boolean passed = SelfTest.passed(steps);
        context.out().println(passed ? "selftest passed: every platform call works here"
                : "selftest FAILED: see the failed step above");
        return passed ? AgentMain.OK : AgentMain.FAILED;
    }
}
