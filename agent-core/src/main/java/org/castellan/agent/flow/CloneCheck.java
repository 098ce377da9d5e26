package org.castellan.agent.flow;

import java.util.List;
import java.util.Map;
import org.castellan.agent.AgentException;
import org.castellan.agent.AgentVersion;
import org.castellan.agent.client.ServerApi;
import org.castellan.agent.client.ServerException;
import org.castellan.agent.identity.MachineFingerprint;
import org.castellan.agent.identity.MachineFingerprint.Comparison;
import org.castellan.agent.identity.MachineFingerprint.Verdict;
import org.castellan.agent.spi.OsInfo;
import org.castellan.agent.spi.Platform;
import org.castellan.agent.state.AgentState;
import org.castellan.agent.state.StateStore;
import org.castellan.protocol.messages.CheckInRequest;

/**
 * Catches a state directory copied to another machine (a cloned VM, a restored image): the
 * identity recorded at registration no longer matches this machine's. Such a copy reports itself
 * to the server once per check-in, then stops: it rotates nothing, and it leaves the copied
 * rotation journal alone, which belongs to the original.
 */
final class CloneCheck {
    static final String REGISTER_AGAIN = "run 'castellan-agent register --force' to enrol this machine as a new device";

    private final Platform platform;
    private final StateStore store;

    CloneCheck(Platform platform, StateStore store) {
        this.platform = platform;
        this.store = store;
    }

    /** The state to go on with, or throws when this is a copy (after telling the server). */
    AgentState verify(AgentState state, ServerApi api) throws AgentException {
        Map<String, String> current = MachineFingerprint.digest(platform.machineIdentity());
        if (state.machineIdentity() == null || state.machineIdentity().isEmpty()) {
            // Registered before identities were recorded (or on a platform without one): adopt
            // this machine's from now on.
            if (current.isEmpty()) {
                return state;
            }
            AgentState adopted = state.withMachineIdentity(current);
            store.save(adopted);
            return adopted;
        }
        Comparison comparison = MachineFingerprint.compare(state.machineIdentity(), current);
        if (comparison.verdict() != Verdict.OTHER_MACHINE) {
            return state;
        }
        String told;
        OsInfo os = platform.osInfo();
        try {
            api.checkIn(new CheckInRequest(os.hostname(), os.osVersion(), AgentVersion.get(), null, null, List.of(),
                    comparison.describe()));
            told = "the server was told";
        } catch (ServerException e) {
            told = "telling the server failed (" + e.getMessage() + "); it is retried at the next check-in";
        }
        throw new AgentException("this state directory was copied from another machine: " + comparison.describe()
                + ". Device " + state.deviceId() + " belongs to that machine, so nothing was rotated here; " + told
                + "; " + REGISTER_AGAIN);
    }

    /** Whether the state in {@code store} was registered on another machine (for {@code register --force}). */
    static boolean isCopy(Platform platform, AgentState state) {
        if (state.machineIdentity() == null || state.machineIdentity().isEmpty()) {
            return false;
        }
        return MachineFingerprint.compare(state.machineIdentity(),
                MachineFingerprint.digest(platform.machineIdentity())).verdict() == Verdict.OTHER_MACHINE;
    }
}
