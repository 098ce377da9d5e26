package org.castellan.agent.cli;

import java.util.concurrent.Callable;
import org.castellan.agent.AgentException;
import org.castellan.agent.spi.PlatformException;
import org.castellan.agent.spi.ServiceSpec;
import picocli.CommandLine.Command;

@Command(name = "uninstall-service", mixinStandardHelpOptions = true,
        description = "Stops and removes the agent's system service (the state directory is kept).")
final class UninstallServiceCommand implements Callable<Integer> {
    private final AgentContext context;

    UninstallServiceCommand(AgentContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws AgentException {
        try {
            context.platform().get().serviceInstaller().uninstall();
        } catch (PlatformException e) {
            throw new AgentException("uninstall service " + ServiceSpec.SERVICE_NAME, e);
        }
        context.out().println("service " + ServiceSpec.SERVICE_NAME + " removed");
        return AgentMain.OK;
    }
}
