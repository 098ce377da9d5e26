package org.castellan.agent.windows.service;

import com.sun.jna.Native;
import com.sun.jna.platform.win32.Advapi32;
import com.sun.jna.platform.win32.Winsvc;

/**
 * {@link ServiceControlDispatcher} on advapi32 (Windows only). The callbacks are kept in fields:
 * native code holds them for the life of the service, and a collected JNA callback would crash it.
 */
public final class JnaServiceControlDispatcher implements ServiceControlDispatcher {
    private Winsvc.SERVICE_MAIN_FUNCTION serviceMain;
    private Winsvc.HandlerEx handlerEx;

    @Override
    public int runDispatcher(String serviceName, Runnable main) {
        serviceMain = (argc, argv) -> main.run();
        Winsvc.SERVICE_TABLE_ENTRY[] table =
                (Winsvc.SERVICE_TABLE_ENTRY[]) new Winsvc.SERVICE_TABLE_ENTRY().toArray(2);
        table[0].lpServiceName = serviceName;
        table[0].lpServiceProc = serviceMain;
        // table[1] stays zeroed: the NULL terminator the API requires.
        boolean ok = Advapi32.INSTANCE.StartServiceCtrlDispatcher(table);
        return ok ? 0 : Native.getLastError();
    }

    @Override
    public Object registerHandler(String serviceName, ControlHandler handler) {
        handlerEx = (control, eventType, eventData, context) -> handler.control(control);
        return Advapi32.INSTANCE.RegisterServiceCtrlHandlerEx(serviceName, handlerEx, null);
    }

    @Override
    public void setStatus(Object handle, ServiceStatusValue status) {
        Winsvc.SERVICE_STATUS native_ = new Winsvc.SERVICE_STATUS();
        native_.dwServiceType = ServiceStatusValue.SERVICE_WIN32_OWN_PROCESS;
        native_.dwCurrentState = status.currentState();
        native_.dwControlsAccepted = status.controlsAccepted();
        native_.dwWin32ExitCode = status.win32ExitCode();
        native_.dwServiceSpecificExitCode = status.serviceSpecificExitCode();
        native_.dwCheckPoint = status.checkPoint();
        native_.dwWaitHint = status.waitHintMillis();
        Advapi32.INSTANCE.SetServiceStatus((Winsvc.SERVICE_STATUS_HANDLE) handle, native_);
    }
}
