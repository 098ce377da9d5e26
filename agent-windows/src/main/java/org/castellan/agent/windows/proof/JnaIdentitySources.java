package org.castellan.agent.windows.proof;

import com.sun.jna.platform.win32.Advapi32Util;
import com.sun.jna.platform.win32.COM.COMException;
import com.sun.jna.platform.win32.COM.WbemcliUtil;
import com.sun.jna.platform.win32.Ole32;
import com.sun.jna.platform.win32.Win32Exception;
import com.sun.jna.platform.win32.WinReg;
import java.util.Optional;

/** {@link IdentitySources} from the registry and WMI (Windows only; never run on Linux). */
public final class JnaIdentitySources implements IdentitySources {
    private static final String CRYPTOGRAPHY = "SOFTWARE\\Microsoft\\Cryptography";

    enum ProductProperty { UUID }

    @Override
    public Optional<String> machineGuid() {
        try {
            return Optional.of(Advapi32Util.registryGetStringValue(WinReg.HKEY_LOCAL_MACHINE, CRYPTOGRAPHY, "MachineGuid"));
        } catch (Win32Exception e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<String> smbiosUuid() {
        // COINIT_MULTITHREADED; S_FALSE (already initialized) and RPC_E_CHANGED_MODE are fine to query on.
        int init = Ole32.INSTANCE.CoInitializeEx(null, Ole32.COINIT_MULTITHREADED).intValue();
        try {
            WbemcliUtil.WmiResult<ProductProperty> result =
                    new WbemcliUtil.WmiQuery<>("Win32_ComputerSystemProduct", ProductProperty.class).execute();
            return result.getResultCount() == 0 ? Optional.empty()
                    : Optional.ofNullable((String) result.getValue(ProductProperty.UUID, 0));
        } catch (COMException | ClassCastException e) {
            return Optional.empty();
        } finally {
            if (init == 0 || init == 1) {
                Ole32.INSTANCE.CoUninitialize();
            }
        }
    }
}
