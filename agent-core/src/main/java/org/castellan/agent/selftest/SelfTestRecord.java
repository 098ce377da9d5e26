package org.castellan.agent.selftest;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import org.castellan.agent.AgentException;
import org.castellan.agent.state.StateDir;
import org.castellan.protocol.Json;

/**
 * {@code selftest-account.json}: the throwaway account a selftest is about to create, written
 * durably BEFORE it is created and removed only after it is deleted. A selftest killed anywhere in
 * between leaves this record, and the next selftest deletes that account first. No secret in it.
 */
final class SelfTestRecord {
    static final String FILE = "selftest-account.json";

    record Entry(@JsonProperty("version") int version, @JsonProperty("account") String account,
                 @JsonProperty("startedAt") Instant startedAt) {}

    private final StateDir dir;

    SelfTestRecord(StateDir dir) {
        this.dir = dir;
    }

    Optional<Entry> read() throws AgentException {
        try {
            Optional<byte[]> bytes = dir.read(FILE);
            return bytes.isEmpty() ? Optional.empty() : Optional.of(Json.mapper().readValue(bytes.get(), Entry.class));
        } catch (IOException e) {
            throw new AgentException("read the selftest record " + dir.resolve(FILE)
                    + " (it names a throwaway account an interrupted selftest may have left; delete that account by hand,"
                    + " then the file)", e);
        }
    }

    void write(String account, Instant at) throws AgentException {
        try {
            dir.writeAtomically(FILE, Json.mapper().writeValueAsBytes(new Entry(1, account, at)));
        } catch (IOException e) {
            throw new AgentException("record the throwaway account in " + dir.resolve(FILE), e);
        }
    }

    void clear() throws AgentException {
        try {
            dir.delete(FILE);
        } catch (IOException e) {
            throw new AgentException("remove the selftest record " + dir.resolve(FILE), e);
        }
    }
}
