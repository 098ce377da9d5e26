package org.castellan.agent.state;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * One unfinished rotation, as written to {@code rotation-journal.json}. It never holds the
 * password: only what the agent needs to decide, after a crash, whether to commit or abort.
 *
 * @param account the account name; {@code accountId} its stable id (uid, SID)
 * @param marker the account's password marker taken just before the password was set (only in
 *     steps {@code setting} and {@code set})
 */
public record JournalEntry(
        int version,
        String rotationId,
        String account,
        String accountId,
        Step step,
        String marker,
        Instant startedAt) {

    /** The steps of docs/agent-protocol.md "Rotation as the agent runs it". */
    public enum Step {
        /** Rotation id chosen; the password may have been generated and sent, not set. */
        @JsonProperty("generated") GENERATED,
        /** The server acknowledged the escrow; the password is not set yet. */
        @JsonProperty("escrowed") ESCROWED,
        /** About to set (or setting) the password; {@code marker} is the value before. */
        @JsonProperty("setting") SETTING,
        /**
         * The password is set on the device and proven to authenticate; the commit may not have
         * reached the server.
         */
        @JsonProperty("set") SET,
        /**
         * The set reported success (or the marker changed) but the password could not be proven
         * to authenticate, even after setting it again. Never committed nor aborted: the server
         * keeps revealing it as "may be in use" beside the previous one until a proven rotation
         * supersedes it.
         */
        @JsonProperty("unverified") UNVERIFIED;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public JournalEntry at(Step next) {
        return new JournalEntry(version, rotationId, account, accountId, next, marker, startedAt);
    }

    public JournalEntry withMarker(String newMarker) {
        return new JournalEntry(version, rotationId, account, accountId, step, newMarker, startedAt);
    }
}
