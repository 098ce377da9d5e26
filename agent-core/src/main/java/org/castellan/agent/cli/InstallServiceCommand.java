package org.castellan.agent.cli;

import java.io.IOException;
import java.util.concurrent.Callable;
import org.castellan.agent.AgentException;
import org.castellan.agent.spi.Platform;
import org.castellan.agent.spi.PlatformException;
import org.castellan.agent.spi.ServiceInstaller;
import org.castellan.agent.spi.ServiceSpec;
import org.castellan.agent.state.StateDir;
import org.castellan.agent.state.StateStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "install-service", mixinStandardHelpOptions = true,
        description = "Installs and starts the agent as a system service running 'run --state-dir DIR'.")
final class InstallServiceCommand implements Callable<Integer> {
    @Mixin
    StateDirOption stateDir = new StateDirOption();

    private final AgentContext context;

    InstallServiceCommand(AgentContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws AgentException {
        Platform platform = context.platform().get();
        StateDir dir = context.stateDir(stateDir.stateDir);
        if (!new StateStore(dir).isRegistered()) {
            context.err().println("warning: " + dir + " holds no registration yet; the service will fail "
                    + "until 'castellan-agent register' is run");
        }
        try {
            ServiceSpec spec = new ServiceSpec(ServiceCommandLine.forRun(dir), dir.path());
            ServiceInstaller installer = platform.serviceInstaller();
            installer.checkCanInstall(spec); // before anything is written, the state directory included
            dir.create();
            platform.secureStateDir(dir.path());
            installer.install(spec);
        } catch (IOException | PlatformException e) {
            throw new AgentException("install service " + ServiceSpec.SERVICE_NAME, e);
        }
        context.out().println("service " + ServiceSpec.SERVICE_NAME + " installed and started");
        return AgentMain.OK;
    }
}
