package org.castellan.agent.state;

import java.io.IOException;
import java.util.Optional;
import org.castellan.agent.AgentException;
import org.castellan.protocol.Json;

/** Reads and writes {@code agent.json} in the state directory. */
public final class StateStore {
    public static final String FILE = "agent.json";

    private final StateDir dir;

    public StateStore(StateDir dir) {
        this.dir = dir;
    }

    public boolean isRegistered() {
        return dir.exists(FILE);
    }

    public Optional<AgentState> load() throws AgentException {
        try {
            Optional<byte[]> bytes = dir.read(FILE);
            if (bytes.isEmpty()) {
                return Optional.empty();
            }
            AgentState state = Json.mapper().readValue(bytes.get(), AgentState.class);
            if (state.version() != AgentState.CURRENT_VERSION) {
                throw new AgentException(dir.resolve(FILE) + " has version " + state.version()
                        + "; this agent reads version " + AgentState.CURRENT_VERSION);
            }
            return Optional.of(state);
        } catch (IOException e) {
            throw new AgentException("read " + dir.resolve(FILE), e);
        }
    }

    /** The state, or an error telling the user to register first. */
    public AgentState require() throws AgentException {
        return load().orElseThrow(() -> new AgentException("this device is not registered (no "
                + dir.resolve(FILE) + "); run 'castellan-agent register' first"));
    }

    public void save(AgentState state) throws AgentException {
        try {
            dir.writeAtomically(FILE, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(state));
        } catch (IOException e) {
            throw new AgentException("write " + dir.resolve(FILE), e);
        }
    }
}
