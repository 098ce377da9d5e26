package org.castellan.e2e;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The real castellan-agent jar, run as root inside the sandbox. */
final class AgentCli {
    private final LinuxSandbox sandbox;
    private final Path stateDir;

    AgentCli(LinuxSandbox sandbox, Path stateDir) {
        this.sandbox = sandbox;
        this.stateDir = stateDir;
    }

    List<String> command(String... args) {
        List<String> command = new ArrayList<>(TestJvm.jar(Processes.jar("castellan-agent.jar")));
        command.addAll(List.of(args));
        command.addAll(List.of("--state-dir", stateDir.toString()));
        return sandbox.wrap(command);
    }

    /** Registers; the registration key goes in on stdin, never in argv. */
    ProcessResult register(String serverUrl, String fingerprint, String registrationKey) throws Exception {
        return Processes.run(command("register", "--server", serverUrl, "--server-fingerprint", fingerprint,
                "--registration-key", "-"), Map.of(), registrationKey + "\n");
    }

    ProcessResult checkIn() throws Exception {
        return Processes.run(command("check-in"), Map.of(), null);
    }

    Process startCheckIn() throws Exception {
        return Processes.start(command("check-in"), Map.of(), null);
    }

    ProcessResult status() throws Exception {
        return Processes.run(command("status"), Map.of(), null);
    }

    Path stateDir() {
        return stateDir;
    }
}
