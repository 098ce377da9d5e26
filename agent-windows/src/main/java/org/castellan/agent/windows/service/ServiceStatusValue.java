package org.castellan.agent.windows.service;

/**
 * The fields of a SERVICE_STATUS the agent reports (dwServiceType is always
 * SERVICE_WIN32_OWN_PROCESS, dwServiceSpecificExitCode follows the exit code).
 */
public record ServiceStatusValue(int currentState, int controlsAccepted, int win32ExitCode,
        int serviceSpecificExitCode, int checkPoint, int waitHintMillis) {
    public static final int SERVICE_WIN32_OWN_PROCESS = 0x10;
    public static final int SERVICE_STOPPED = 1;
    public static final int SERVICE_START_PENDING = 2;
    public static final int SERVICE_STOP_PENDING = 3;
    public static final int SERVICE_RUNNING = 4;
    public static final int SERVICE_ACCEPT_STOP = 0x1;
    public static final int SERVICE_ACCEPT_SHUTDOWN = 0x4;
    public static final int NO_ERROR = 0;
    public static final int ERROR_SERVICE_SPECIFIC_ERROR = 1066;
}
