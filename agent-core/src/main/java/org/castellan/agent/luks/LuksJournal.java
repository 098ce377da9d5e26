package org.castellan.agent.luks;

import java.io.IOException;
import java.util.Optional;
import org.castellan.agent.AgentException;
import org.castellan.agent.state.StateDir;
import org.castellan.protocol.Json;

/** The durable record of the LUKS key change in progress ({@value #FILE} in the state directory). */
public class LuksJournal {
    public static final String FILE = "luks-journal.json";

    private final StateDir dir;

    public LuksJournal(StateDir dir) {
        this.dir = dir;
    }

    public Optional<LuksJournalEntry> read() throws AgentException {
        try {
            Optional<byte[]> bytes = dir.read(FILE);
            return bytes.isEmpty() ? Optional.empty() : Optional.of(Json.mapper().readValue(bytes.get(), LuksJournalEntry.class));
        } catch (IOException e) {
            throw new AgentException("read LUKS journal " + dir.resolve(FILE), e);
        }
    }

    /** Durably records {@code entry}; returns only once it is on disk. */
    public void write(LuksJournalEntry entry) throws AgentException {
        try {
            dir.writeAtomically(FILE, Json.mapper().writeValueAsBytes(entry));
        } catch (IOException e) {
            throw new AgentException("write LUKS journal step " + entry.step() + " of volume " + entry.volumeId(), e);
        }
    }

    public void clear() throws AgentException {
        try {
            dir.delete(FILE);
        } catch (IOException e) {
            throw new AgentException("clear LUKS journal " + dir.resolve(FILE), e);
        }
    }
}
