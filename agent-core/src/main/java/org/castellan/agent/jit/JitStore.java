package org.castellan.agent.jit;

import java.io.IOException;
import java.util.Optional;
import org.castellan.agent.AgentException;
import org.castellan.agent.state.StateDir;
import org.castellan.protocol.Json;

/** Reads and durably writes {@code jit-grants.json} in the state directory. */
public final class JitStore {
    public static final String FILE = "jit-grants.json";
    private final StateDir dir;

    public JitStore(StateDir dir) {
        this.dir = dir;
    }

    public JitFile load() throws AgentException {
        try {
            Optional<byte[]> bytes = dir.read(FILE);
            return bytes.isEmpty() ? JitFile.EMPTY : Json.mapper().readValue(bytes.get(), JitFile.class);
        } catch (IOException e) {
            throw new AgentException("read just-in-time grants " + dir.resolve(FILE), e);
        }
    }

    /** Returns once the file is on disk (fsync): a grant is recorded before the OS is changed. */
    public void save(JitFile file) throws AgentException {
        try {
            dir.writeAtomically(FILE, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(file));
        } catch (IOException e) {
            throw new AgentException("write just-in-time grants " + dir.resolve(FILE), e);
        }
    }
}
