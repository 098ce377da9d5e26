package org.castellan.agent.cli;

import java.io.PrintStream;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.castellan.agent.AgentException;
import org.castellan.agent.spi.Platform;
import org.castellan.agent.spi.PlatformException;
import org.castellan.agent.state.AgentState;
import org.castellan.agent.state.JournalEntry;
import org.castellan.agent.state.RotationJournal;
import org.castellan.agent.state.StateDir;
import org.castellan.agent.state.StateStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Shows registration, last check-in and rotation, and any unfinished rotation (no secrets).")
final class StatusCommand implements Callable<Integer> {
    @Mixin
    StateDirOption stateDir = new StateDirOption();

    private final AgentContext context;

    StatusCommand(AgentContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws AgentException {
        Platform platform = context.platform().get();
        StateDir dir = context.stateDir(stateDir.stateDir);
        PrintStream out = context.out();
        Optional<AgentState> loaded = new StateStore(dir).load();
        out.println("state directory: " + dir);
        out.println("registered: " + (loaded.isPresent() ? "yes" : "no"));
        if (loaded.isPresent()) {
            AgentState state = loaded.get();
            out.println("device id: " + state.deviceId());
            out.println("server: " + state.server());
            out.println("server certificate: " + (state.serverFingerprint() == null ? "system CAs"
                    : "pinned sha256 " + state.serverFingerprint()));
            out.println("key protection: " + platform.keyProtector().name());
            out.println("registered at: " + state.registeredAt());
            out.println("last check-in: " + orNever(state.lastCheckIn()));
            out.println("last rotation: " + (state.lastRotation() == null ? "never"
                    : state.lastRotation() + " (account " + state.lastRotationAccount() + ")"));
            if (state.policy() != null) {
                out.println("check-in interval: " + state.policy().checkInSeconds() + " s");
            }
            if (state.lastError() != null) {
                out.println("last error: " + state.lastErrorAt() + " " + state.lastError());
            }
        }
        Optional<JournalEntry> journal = new RotationJournal(dir).read();
        out.println("unfinished rotation: " + journal.map(e -> e.rotationId() + " for account " + e.account()
                + " at step " + e.step().wireName() + " since " + e.startedAt()).orElse("none"));
        String service;
        try {
            service = platform.serviceInstaller().status();
        } catch (PlatformException | RuntimeException e) {
            service = "unknown (" + AgentException.describe(e) + ")";
        }
        out.println("service: " + service);
        return AgentMain.OK;
    }

    private static String orNever(Object value) {
        return value == null ? "never" : value.toString();
    }
}
