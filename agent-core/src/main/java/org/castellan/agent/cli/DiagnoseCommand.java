package org.castellan.agent.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.castellan.agent.AgentException;
import org.castellan.agent.AgentVersion;
import org.castellan.agent.config.ConfigException;
import org.castellan.agent.diagnose.Diagnosis;
import org.castellan.agent.diagnose.DiagnosisReport;
import org.castellan.agent.diagnose.SupportBundle;
import org.castellan.agent.spi.Platform;
import org.castellan.agent.state.StateDir;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "diagnose", mixinStandardHelpOptions = true,
        description = "Checks everything the agent depends on, changing nothing: server, certificate pin, clock, "
                + "state directory, registration, managed account, platform tools, recovery keys, service, last "
                + "check-in and rotation. Exit 1 when a check fails. No secret is shown.")
final class DiagnoseCommand implements Callable<Integer> {
    @Mixin
    StateDirOption stateDir = new StateDirOption();

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default) or json.")
    String output;

    @Option(names = "--bundle", paramLabel = "FILE",
            description = "Also write a zip to attach to a support request: this report, the state files that hold "
                    + "no secret, a listing of the state directory and the agent's recent logs (never the device key).")
    Path bundle;

    private final AgentContext context;

    DiagnoseCommand(AgentContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws AgentException {
        if (!output.equals("text") && !output.equals("json")) {
            throw new ConfigException("-o must be text or json, not " + output);
        }
        Platform platform = context.platform().get();
        StateDir dir = context.stateDir(stateDir.stateDir);
        DiagnosisReport report = new DiagnosisReport(AgentVersion.get(), platform.os(), dir.toString(),
                context.clock().instant(),
                new Diagnosis(platform, dir, context.connector(), context.clock(), context.random()).run());
        context.out().print(output.equals("json") ? report.json() : report.text());
        if (bundle != null) {
            try {
                SupportBundle.write(bundle, report, dir);
            } catch (IOException e) {
                throw new AgentException("write support bundle " + bundle, e);
            }
            context.err().println("support bundle written to " + bundle.toAbsolutePath() + " (no secrets in it)");
        }
        return report.passed() ? AgentMain.OK : AgentMain.FAILED;
    }
}
