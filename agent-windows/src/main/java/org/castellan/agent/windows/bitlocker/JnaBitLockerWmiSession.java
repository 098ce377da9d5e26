package org.castellan.agent.windows.bitlocker;

import com.sun.jna.platform.win32.COM.COMException;
import com.sun.jna.platform.win32.COM.Wbemcli;
import com.sun.jna.platform.win32.OaIdl;
import com.sun.jna.platform.win32.OaIdlUtil;
import com.sun.jna.platform.win32.OleAuto;
import com.sun.jna.platform.win32.Ole32;
import com.sun.jna.platform.win32.Variant;
import com.sun.jna.platform.win32.WTypes;
import com.sun.jna.platform.win32.WinError;
import com.sun.jna.platform.win32.WinNT;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.castellan.agent.spi.PlatformException;

/**
 * {@link BitLockerWmiSession} over COM (Windows only; not run on Linux). The BitLocker namespace
 * requires an elevated caller and packet-privacy authentication. The NumericPassword BSTR is
 * zeroed before it is freed; the Java String copy the parser receives cannot be.
 */
public final class JnaBitLockerWmiSession implements BitLockerWmiSession {
    static final String NAMESPACE = "ROOT\\CIMV2\\Security\\MicrosoftVolumeEncryption";
    static final String CLASS = "Win32_EncryptableVolume";
    private static final int RPC_C_AUTHN_LEVEL_PKT_PRIVACY = 6;
    private static final int RPC_E_CHANGED_MODE = 0x80010106;
    private static final int RPC_E_TOO_LATE = 0x80010119;
    private static final int WBEM_E_ACCESS_DENIED = 0x80041003;
    private static final String[] VOLUME_PROPERTIES = {"DeviceID", "DriveLetter", "ProtectionStatus", "ConversionStatus"};

    private final Wbemcli.IWbemServices services;
    private final boolean uninitialize;
    private Wbemcli.IWbemClassObject volumeClass;

    private JnaBitLockerWmiSession(Wbemcli.IWbemServices services, boolean uninitialize) {
        this.services = services;
        this.uninitialize = uninitialize;
    }

    /** Connects on the calling thread; empty when the namespace does not exist (no BitLocker). */
    public static Optional<BitLockerWmiSession> open() throws PlatformException {
        WinNT.HRESULT init = Ole32.INSTANCE.CoInitializeEx(null, Ole32.COINIT_MULTITHREADED);
        boolean uninitialize = init.intValue() != RPC_E_CHANGED_MODE; // S_OK and S_FALSE both need CoUninitialize
        if (init.intValue() < 0 && uninitialize) {
            throw failure("initialize COM", init.intValue());
        }
        try {
            WinNT.HRESULT security = Ole32.INSTANCE.CoInitializeSecurity(null, -1, null, null,
                    Ole32.RPC_C_AUTHN_LEVEL_DEFAULT, Ole32.RPC_C_IMP_LEVEL_IMPERSONATE, null, Ole32.EOAC_NONE, null);
            if (security.intValue() < 0 && security.intValue() != RPC_E_TOO_LATE) {
                throw failure("initialize COM security", security.intValue());
            }
            Wbemcli.IWbemLocator locator = Wbemcli.IWbemLocator.create();
            if (locator == null) {
                throw new PlatformException("bitlocker-read-failed", "create the WMI locator: CoCreateInstance failed");
            }
            Wbemcli.IWbemServices services;
            try {
                services = locator.ConnectServer(NAMESPACE, null, null, null, 0, null, null);
            } catch (COMException e) {
                if (e.matchesErrorCode(Wbemcli.WBEM_E_INVALID_NAMESPACE)) {
                    if (uninitialize) {
                        Ole32.INSTANCE.CoUninitialize();
                    }
                    return Optional.empty();
                }
                throw failure("connect to WMI namespace " + NAMESPACE, e);
            } finally {
                locator.Release();
            }
            WinNT.HRESULT blanket = Ole32.INSTANCE.CoSetProxyBlanket(services, Ole32.RPC_C_AUTHN_WINNT,
                    Ole32.RPC_C_AUTHZ_NONE, null, RPC_C_AUTHN_LEVEL_PKT_PRIVACY, Ole32.RPC_C_IMP_LEVEL_IMPERSONATE,
                    null, Ole32.EOAC_NONE);
            if (blanket.intValue() < 0) {
                services.Release();
                throw failure("secure the WMI connection (CoSetProxyBlanket)", blanket.intValue());
            }
            return Optional.of(new JnaBitLockerWmiSession(services, uninitialize));
        } catch (PlatformException | RuntimeException e) {
            if (uninitialize) {
                Ole32.INSTANCE.CoUninitialize();
            }
            throw e;
        }
    }

    @Override
    public List<Map<String, Object>> encryptableVolumes() throws PlatformException {
        List<Map<String, Object>> rows = new ArrayList<>();
        Wbemcli.IEnumWbemClassObject enumerator;
        try {
            enumerator = services.ExecQuery("WQL", "SELECT * FROM " + CLASS,
                    Wbemcli.WBEM_FLAG_FORWARD_ONLY | Wbemcli.WBEM_FLAG_RETURN_IMMEDIATELY, null);
        } catch (COMException e) {
            throw failure("query " + CLASS, e);
        }
        try {
            while (true) {
                Wbemcli.IWbemClassObject[] next = enumerator.Next(Wbemcli.WBEM_INFINITE, 1);
                if (next.length == 0) {
                    break;
                }
                for (Wbemcli.IWbemClassObject volume : next) {
                    try {
                        Map<String, Object> row = new LinkedHashMap<>();
                        for (String property : VOLUME_PROPERTIES) {
                            row.put(property, property(volume, property, false));
                        }
                        rows.add(row);
                    } finally {
                        volume.Release();
                    }
                }
            }
        } catch (COMException e) {
            throw failure("enumerate " + CLASS, e);
        } finally {
            enumerator.Release();
        }
        return rows;
    }

    @Override
    public Map<String, Object> getKeyProtectors(String deviceId, int keyProtectorType) throws PlatformException {
        return call(deviceId, "GetKeyProtectors", "KeyProtectorType", new Variant.VARIANT(keyProtectorType),
                "VolumeKeyProtectorID", false);
    }

    @Override
    public Map<String, Object> getKeyProtectorNumericalPassword(String deviceId, String protectorId)
            throws PlatformException {
        return call(deviceId, "GetKeyProtectorNumericalPassword", "VolumeKeyProtectorID",
                new Variant.VARIANT(protectorId), "NumericPassword", true);
    }

    private Map<String, Object> call(String deviceId, String method, String inName, Variant.VARIANT inValue,
            String outName, boolean secretOut) throws PlatformException {
        Wbemcli.IWbemClassObject signature = null;
        Wbemcli.IWbemClassObject in = null;
        Wbemcli.IWbemClassObject out = null;
        try {
            if (volumeClass == null) {
                volumeClass = services.GetObject(CLASS, 0, null);
            }
            signature = volumeClass.GetMethod(method);
            in = signature.SpawnInstance();
            WinNT.HRESULT put = in.Put(inName, 0, inValue, 0);
            if (put.intValue() < 0) {
                throw failure(method + ": set " + inName, put.intValue());
            }
            out = services.ExecMethod(WmiObjectPaths.encryptableVolume(deviceId), method, 0, null, in);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("ReturnValue", property(out, "ReturnValue", false));
            result.put(outName, property(out, outName, secretOut));
            return result;
        } catch (COMException e) {
            throw failure(method + " on volume " + deviceId, e);
        } finally {
            OleAuto.INSTANCE.VariantClear(inValue);
            for (Wbemcli.IWbemClassObject o : new Wbemcli.IWbemClassObject[] {out, in, signature}) {
                if (o != null) {
                    o.Release();
                }
            }
        }
    }

    /** One property as a plain Java value; null when absent or VT_NULL. */
    private static Object property(Wbemcli.IWbemClassObject object, String name, boolean secret) {
        Variant.VARIANT.ByReference value = new Variant.VARIANT.ByReference();
        WinNT.HRESULT hr = object.Get(name, 0, value, null, null);
        if (hr.intValue() < 0) {
            return null;
        }
        try {
            int type = value.getVarType().intValue();
            if (type == Variant.VT_EMPTY || type == Variant.VT_NULL) {
                return null;
            }
            if ((type & Variant.VT_ARRAY) != 0) {
                return OaIdlUtil.toPrimitiveArray((OaIdl.SAFEARRAY) value.getValue(), false);
            }
            if (type == Variant.VT_BSTR) {
                WTypes.BSTR bstr = (WTypes.BSTR) value.getValue();
                String text = bstr.getValue();
                if (secret && bstr.getPointer() != null) {
                    bstr.getPointer().clear(OleAuto.INSTANCE.SysStringByteLen(bstr));
                }
                return text;
            }
            if (type == Variant.VT_BOOL) {
                return value.booleanValue();
            }
            return value.intValue();
        } finally {
            OleAuto.INSTANCE.VariantClear(value);
        }
    }

    @Override
    public void close() {
        if (volumeClass != null) {
            volumeClass.Release();
        }
        services.Release();
        if (uninitialize) {
            Ole32.INSTANCE.CoUninitialize();
        }
    }

    private static PlatformException failure(String what, COMException e) {
        int hr = e.getHresult() == null ? WinError.E_FAIL : e.getHresult().intValue();
        // E_ACCESSDENIED, WBEM_E_ACCESS_DENIED: the agent is not elevated.
        return new PlatformException(hr == WinError.E_ACCESSDENIED || hr == WBEM_E_ACCESS_DENIED
                ? "access-denied" : "bitlocker-read-failed", what + ": HRESULT " + String.format("0x%08X", hr), e);
    }

    private static PlatformException failure(String what, int hr) {
        return new PlatformException("bitlocker-read-failed", what + ": HRESULT " + String.format("0x%08X", hr));
    }
}
