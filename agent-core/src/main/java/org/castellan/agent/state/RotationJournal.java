package org.castellan.agent.state;

import java.io.IOException;
import java.util.Optional;
import org.castellan.agent.AgentException;
import org.castellan.protocol.Json;

/**
 * The durable record of the rotation in progress. Each step is written with fsync before the
 * action it announces, so after a crash the next run knows how far the rotation got (promise 1).
 */
public class RotationJournal {
    public static final String FILE = "rotation-journal.json";

    private final StateDir dir;

    public RotationJournal(StateDir dir) {
        this.dir = dir;
    }

    public Optional<JournalEntry> read() throws AgentException {
        try {
            Optional<byte[]> bytes = dir.read(FILE);
            if (bytes.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(Json.mapper().readValue(bytes.get(), JournalEntry.class));
        } catch (IOException e) {
            throw new AgentException("read rotation journal " + dir.resolve(FILE)
                    + " (if it is damaged, check the device's password with the server before removing it)", e);
        }
    }

    /** Durably records {@code entry}; returns only once it is on disk. */
    public void write(JournalEntry entry) throws AgentException {
        try {
            dir.writeAtomically(FILE, Json.mapper().writeValueAsBytes(entry));
        } catch (IOException e) {
            throw new AgentException("write rotation journal step " + entry.step().wireName(), e);
        }
    }

    /** Durably removes the journal: the rotation is finished (committed or aborted). */
    public void clear() throws AgentException {
        try {
            dir.delete(FILE);
        } catch (IOException e) {
            throw new AgentException("clear rotation journal " + dir.resolve(FILE), e);
        }
    }

    public String location() {
        return dir.resolve(FILE).toString();
    }
}
