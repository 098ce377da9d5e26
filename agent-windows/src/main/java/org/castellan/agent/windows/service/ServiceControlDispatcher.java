package org.castellan.agent.windows.service;

/**
 * The three service-control-manager calls a service process makes: StartServiceCtrlDispatcher,
 * RegisterServiceCtrlHandlerEx and SetServiceStatus.
 */
public interface ServiceControlDispatcher {
    int SERVICE_CONTROL_STOP = 0x1;
    int SERVICE_CONTROL_INTERROGATE = 0x4;
    int SERVICE_CONTROL_SHUTDOWN = 0x5;
    int ERROR_CALL_NOT_IMPLEMENTED = 120;
    /** StartServiceCtrlDispatcher outside a service: the process was started from a console. */
    int ERROR_FAILED_SERVICE_CONTROLLER_CONNECT = 1063;

    /** Called by the SCM on its own thread to control the service; answers a Win32 error code. */
    interface ControlHandler {
        int control(int code);
    }

    /** Connects to the SCM and blocks until the service has stopped; answers 0 or a Win32 error. */
    int runDispatcher(String serviceName, Runnable serviceMain);

    /** Registers the handler; answers a handle for {@link #setStatus}. */
    Object registerHandler(String serviceName, ControlHandler handler);

    void setStatus(Object handle, ServiceStatusValue status);
}
