package org.castellan.agent.windows.service;

import com.sun.jna.Native;
import com.sun.jna.platform.win32.Advapi32;
import com.sun.jna.platform.win32.W32Service;
import com.sun.jna.platform.win32.W32ServiceManager;
import com.sun.jna.platform.win32.Win32Exception;
import com.sun.jna.platform.win32.WinError;
import com.sun.jna.platform.win32.WinNT;
import com.sun.jna.platform.win32.Winsvc;
import java.util.List;
import java.util.OptionalInt;
import org.castellan.agent.spi.PlatformException;

/** {@link ServiceManager} on advapi32 and jna-platform's W32Service helpers (Windows only). */
public final class JnaServiceManager implements ServiceManager {
    private static final int ERROR_SERVICE_DOES_NOT_EXIST = 1060;
    private static final int ERROR_SERVICE_NOT_ACTIVE = 1062;
    private static final int ERROR_SERVICE_EXISTS = 1073;

    @Override
    public void create(String name, String displayName, String binaryPath) throws PlatformException {
        try (W32ServiceManager manager = open(Winsvc.SC_MANAGER_ALL_ACCESS)) {
            Winsvc.SC_HANDLE service = Advapi32.INSTANCE.CreateService(manager.getHandle(), name, displayName,
                    Winsvc.SERVICE_ALL_ACCESS, WinNT.SERVICE_WIN32_OWN_PROCESS, WinNT.SERVICE_AUTO_START,
                    WinNT.SERVICE_ERROR_NORMAL, binaryPath, null, null, null, null /* LocalSystem */, null);
            if (service == null) {
                int error = Native.getLastError();
                throw new PlatformException(error == ERROR_SERVICE_EXISTS ? "service-exists" : code(error),
                        "create service " + name + " (CreateService): Win32 error " + error);
            }
            Advapi32.INSTANCE.CloseServiceHandle(service);
        }
    }

    @Override
    public void configure(String name, String description, int restartDelayMillis, int resetPeriodSeconds)
            throws PlatformException {
        try (W32ServiceManager manager = open(Winsvc.SC_MANAGER_ALL_ACCESS);
                W32Service service = manager.openService(name, Winsvc.SERVICE_ALL_ACCESS)) {
            Winsvc.SC_ACTION restart = new Winsvc.SC_ACTION();
            restart.type = Winsvc.SC_ACTION_RESTART;
            restart.delay = restartDelayMillis;
            service.setFailureActions(List.of(restart, copy(restart), copy(restart)), resetPeriodSeconds, null, "");
            // Also restart when the process exits with an error code, not only when it crashes.
            service.setFailureActionsFlag(true);
            Winsvc.SERVICE_DESCRIPTION text = new Winsvc.SERVICE_DESCRIPTION();
            text.lpDescription = description;
            if (!Advapi32.INSTANCE.ChangeServiceConfig2(service.getHandle(), Winsvc.SERVICE_CONFIG_DESCRIPTION, text)) {
                int error = Native.getLastError();
                throw new PlatformException(code(error), "describe service " + name + ": Win32 error " + error);
            }
        } catch (Win32Exception e) {
            throw failure("configure service " + name, e);
        }
    }

    @Override
    public void start(String name) throws PlatformException {
        try (W32ServiceManager manager = open(Winsvc.SC_MANAGER_CONNECT);
                W32Service service = manager.openService(name, Winsvc.SERVICE_START | Winsvc.SERVICE_QUERY_STATUS)) {
            service.startService();
        } catch (Win32Exception e) {
            throw failure("start service " + name, e);
        }
    }

    @Override
    public void stop(String name) throws PlatformException {
        try (W32ServiceManager manager = open(Winsvc.SC_MANAGER_CONNECT);
                W32Service service = manager.openService(name, Winsvc.SERVICE_STOP | Winsvc.SERVICE_QUERY_STATUS)) {
            Winsvc.SERVICE_STATUS status = new Winsvc.SERVICE_STATUS();
            if (!Advapi32.INSTANCE.ControlService(service.getHandle(), Winsvc.SERVICE_CONTROL_STOP, status)) {
                int error = Native.getLastError();
                if (error != ERROR_SERVICE_NOT_ACTIVE) {
                    throw new PlatformException(code(error), "stop service " + name + ": Win32 error " + error);
                }
            }
        } catch (Win32Exception e) {
            throw failure("stop service " + name, e);
        }
    }

    @Override
    public OptionalInt state(String name) throws PlatformException {
        try (W32ServiceManager manager = open(Winsvc.SC_MANAGER_CONNECT);
                W32Service service = manager.openService(name, Winsvc.SERVICE_QUERY_STATUS)) {
            return OptionalInt.of(service.queryStatus().dwCurrentState);
        } catch (Win32Exception e) {
            if (e.getErrorCode() == ERROR_SERVICE_DOES_NOT_EXIST) {
                return OptionalInt.empty();
            }
            throw failure("query service " + name, e);
        }
    }

    @Override
    public void delete(String name) throws PlatformException {
        try (W32ServiceManager manager = open(Winsvc.SC_MANAGER_ALL_ACCESS);
                W32Service service = manager.openService(name, WinNT.DELETE)) {
            if (!Advapi32.INSTANCE.DeleteService(service.getHandle())) {
                int error = Native.getLastError();
                throw new PlatformException(code(error), "delete service " + name + ": Win32 error " + error);
            }
        } catch (Win32Exception e) {
            throw failure("delete service " + name, e);
        }
    }

    private static W32ServiceManager open(int access) throws PlatformException {
        W32ServiceManager manager = new W32ServiceManager();
        try {
            manager.open(access);
        } catch (Win32Exception e) {
            throw failure("open the service control manager", e);
        }
        return manager;
    }

    private static Winsvc.SC_ACTION copy(Winsvc.SC_ACTION action) {
        Winsvc.SC_ACTION copy = new Winsvc.SC_ACTION();
        copy.type = action.type;
        copy.delay = action.delay;
        return copy;
    }

    private static PlatformException failure(String what, Win32Exception e) {
        return new PlatformException(code(e.getErrorCode()), what + ": Win32 error " + e.getErrorCode(), e);
    }

    private static String code(int error) {
        return error == WinError.ERROR_ACCESS_DENIED ? "access-denied" : "service-install-failed";
    }
}
