package org.castellan.agent.windows.jna;

import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.Advapi32;
import com.sun.jna.platform.win32.NTSecApi;
import com.sun.jna.platform.win32.WinNT;
import com.sun.jna.ptr.PointerByReference;

/**
 * The LSA policy functions jna-platform does not bind: they give the machine's account-domain SID
 * (the prefix of every local account's SID, RID 500 included). NTSTATUS results are turned into
 * Win32 codes with {@link #LsaNtStatusToWinError}.
 */
public interface CastellanAdvapi32 extends Advapi32 {
    int POLICY_VIEW_LOCAL_INFORMATION = 0x00000001;
    /** POLICY_INFORMATION_CLASS value of PolicyAccountDomainInformation. */
    int POLICY_ACCOUNT_DOMAIN_INFORMATION = 5;

    int LsaOpenPolicy(NTSecApi.LSA_UNICODE_STRING systemName, LsaObjectAttributes objectAttributes,
            int desiredAccess, PointerByReference policyHandle);

    int LsaQueryInformationPolicy(Pointer policyHandle, int informationClass, PointerByReference buffer);

    int LsaFreeMemory(Pointer buffer);

    int LsaClose(Pointer policyHandle);

    int LsaNtStatusToWinError(int status);

    /** LOGON32_LOGON_NETWORK: checks the credentials without a profile, a desktop or a session. */
    int LOGON32_LOGON_NETWORK = 3;
    int LOGON32_PROVIDER_DEFAULT = 0;

    /**
     * LogonUserW with the password as a pointer to native memory the caller wipes (jna-platform's
     * overload takes a String, which JNA copies into memory nobody clears).
     */
    boolean LogonUser(String username, String domain, Pointer password, int logonType, int logonProvider,
            WinNT.HANDLEByReference token);
}
