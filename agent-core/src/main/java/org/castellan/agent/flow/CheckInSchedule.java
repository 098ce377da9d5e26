package org.castellan.agent.flow;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.castellan.agent.state.AgentState;

/**
 * When a timer-driven agent ({@code check-in --if-due}) should check in: after the policy's
 * interval since the last successful check-in. Always at once when it never checked in, when the
 * last attempt failed (so a timer retries at its own pace) or when a rotation is unfinished.
 */
public final class CheckInSchedule {
    /**
     * A timer fires at fixed steps and the check-in itself takes a moment, so an interval that has
     * all but passed counts as passed; otherwise a one-hour policy on a 15-minute timer would wait
     * 75 minutes.
     */
    static final Duration SLACK = Duration.ofSeconds(60);

    private CheckInSchedule() {}

    /** Empty when a check-in is due now; otherwise the instant from which it is. */
    public static Optional<Instant> notDueUntil(AgentState state, boolean rotationUnfinished, Instant now) {
        if (state.lastCheckIn() == null || state.lastError() != null || rotationUnfinished) {
            return Optional.empty();
        }
        int seconds = state.policy() == null ? AgentLoop.DEFAULT_INTERVAL_SECONDS
                : Math.max(AgentLoop.MIN_INTERVAL_SECONDS, state.policy().checkInSeconds());
        Instant due = state.lastCheckIn().plusSeconds(seconds);
        return now.plus(SLACK).isBefore(due) ? Optional.of(due) : Optional.empty();
    }
}
