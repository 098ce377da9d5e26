package org.castellan.agent.windows.service;

import static org.castellan.agent.windows.service.ServiceStatusValue.*;

/**
 * The statuses a well-behaved service reports: START_PENDING → RUNNING → STOP_PENDING → STOPPED,
 * pending states with an increasing check point and a wait hint, STOP and SHUTDOWN accepted only
 * while running, and a failure reported as ERROR_SERVICE_SPECIFIC_ERROR so the service
 * controller's recovery actions (restart after 60 s) apply.
 */
final class ServiceStatusSequence {
    static final int START_WAIT_HINT_MILLIS = 30_000;
    static final int STOP_WAIT_HINT_MILLIS = 60_000;

    private int checkPoint;
    private int state = SERVICE_STOPPED;

    synchronized ServiceStatusValue startPending() {
        state = SERVICE_START_PENDING;
        return new ServiceStatusValue(state, 0, NO_ERROR, 0, ++checkPoint, START_WAIT_HINT_MILLIS);
    }

    synchronized ServiceStatusValue running() {
        state = SERVICE_RUNNING;
        checkPoint = 0;
        return new ServiceStatusValue(state, SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_SHUTDOWN, NO_ERROR, 0, 0, 0);
    }

    synchronized ServiceStatusValue stopPending() {
        state = SERVICE_STOP_PENDING;
        return new ServiceStatusValue(state, 0, NO_ERROR, 0, ++checkPoint, STOP_WAIT_HINT_MILLIS);
    }

    synchronized ServiceStatusValue stopped(boolean failed) {
        state = SERVICE_STOPPED;
        checkPoint = 0;
        return failed
                ? new ServiceStatusValue(state, 0, ERROR_SERVICE_SPECIFIC_ERROR, 1, 0, 0)
                : new ServiceStatusValue(state, 0, NO_ERROR, 0, 0, 0);
    }

    synchronized int state() {
        return state;
    }

    /** The answer to SERVICE_CONTROL_INTERROGATE: the current state again. */
    synchronized ServiceStatusValue current() {
        return switch (state) {
            case SERVICE_RUNNING -> new ServiceStatusValue(state, SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_SHUTDOWN,
                    NO_ERROR, 0, 0, 0);
            case SERVICE_STOPPED -> new ServiceStatusValue(state, 0, NO_ERROR, 0, 0, 0);
            default -> new ServiceStatusValue(state, 0, NO_ERROR, 0, checkPoint,
                    state == SERVICE_START_PENDING ? START_WAIT_HINT_MILLIS : STOP_WAIT_HINT_MILLIS);
        };
    }
}
