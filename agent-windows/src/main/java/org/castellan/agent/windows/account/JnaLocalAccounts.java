package org.castellan.agent.windows.account;

import com.sun.jna.platform.win32.Advapi32Util;
import com.sun.jna.platform.win32.Kernel32Util;
import com.sun.jna.platform.win32.LMAccess;
import com.sun.jna.platform.win32.Win32Exception;
import com.sun.jna.platform.win32.WinError;
import com.sun.jna.platform.win32.WinNT;
import com.sun.jna.platform.win32.WinReg;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import com.sun.jna.WString;
import java.util.Optional;
import java.util.OptionalLong;
import org.castellan.agent.spi.PlatformException;
import org.castellan.agent.windows.jna.CastellanAdvapi32;
import org.castellan.agent.windows.jna.CastellanNetapi32;
import org.castellan.agent.windows.jna.LocalGroupMembersInfo0;
import org.castellan.agent.windows.jna.LsaObjectAttributes;
import org.castellan.agent.windows.jna.NativeLibraries;
import org.castellan.agent.windows.jna.NativePassword;
import org.castellan.agent.windows.jna.PolicyAccountDomainInfo;
import org.castellan.agent.windows.jna.ServerInfo101;
import org.castellan.agent.windows.jna.UserInfo1;
import org.castellan.agent.windows.jna.UserInfo1003;
import org.castellan.agent.windows.jna.UserInfo1008;

/** {@link LocalAccounts} on the real netapi32 / advapi32 (Windows only; never run on Linux). */
public final class JnaLocalAccounts implements LocalAccounts {
    private static final int LEVEL_1 = 1;
    private static final int LEVEL_101 = 101;
    private static final int LEVEL_PASSWORD = 1003;
    private static final int LEVEL_FLAGS = 1008;

    // Fetched on each call, not in the constructor: wiring the platform must not load a DLL.
    private static CastellanNetapi32 netapi() {
        return NativeLibraries.netapi32();
    }

    private static CastellanAdvapi32 advapi() {
        return NativeLibraries.advapi32();
    }

    @Override
    public boolean isDomainController() throws PlatformException {
        PointerByReference buffer = new PointerByReference();
        NetApiStatus.check(netapi().NetServerGetInfo(null, LEVEL_101, buffer), "domain-check-failed",
                "read server type (NetServerGetInfo 101)");
        try {
            ServerInfo101 info = new ServerInfo101(buffer.getValue());
            return (info.sv101_type & (ServerInfo101.SV_TYPE_DOMAIN_CTRL | ServerInfo101.SV_TYPE_DOMAIN_BAKCTRL)) != 0;
        } finally {
            netapi().NetApiBufferFree(buffer.getValue());
        }
    }

    @Override
    public String accountDomainSid() throws PlatformException {
        PointerByReference policy = new PointerByReference();
        int status = advapi().LsaOpenPolicy(null, new LsaObjectAttributes(),
                CastellanAdvapi32.POLICY_VIEW_LOCAL_INFORMATION, policy);
        checkNtStatus(status, "open the local security policy (LsaOpenPolicy)");
        try {
            PointerByReference buffer = new PointerByReference();
            status = advapi().LsaQueryInformationPolicy(policy.getValue(),
                    CastellanAdvapi32.POLICY_ACCOUNT_DOMAIN_INFORMATION, buffer);
            checkNtStatus(status, "read the account domain SID (LsaQueryInformationPolicy)");
            try {
                PolicyAccountDomainInfo info = new PolicyAccountDomainInfo(buffer.getValue());
                return Advapi32Util.convertSidToStringSid(new WinNT.PSID(info.DomainSid));
            } finally {
                advapi().LsaFreeMemory(buffer.getValue());
            }
        } finally {
            advapi().LsaClose(policy.getValue());
        }
    }

    @Override
    public Optional<SidAccount> lookupSid(String sid) throws PlatformException {
        try {
            Advapi32Util.Account account = Advapi32Util.getAccountBySid(sid);
            return Optional.of(new SidAccount(account.name, account.domain, sid));
        } catch (Win32Exception e) {
            if (e.getErrorCode() == WinError.ERROR_NONE_MAPPED) {
                return Optional.empty();
            }
            throw new PlatformException("account-lookup-failed", "look up SID " + sid + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<LocalUser> user(String name) throws PlatformException {
        PointerByReference buffer = new PointerByReference();
        int status = netapi().NetUserGetInfo(null, name, LEVEL_1, buffer);
        if (status == NetApiStatus.NERR_USER_NOT_FOUND) {
            return Optional.empty();
        }
        NetApiStatus.check(status, "account-lookup-failed", "read account " + name + " (NetUserGetInfo 1)");
        LMAccess.USER_INFO_1 info;
        try {
            info = new LMAccess.USER_INFO_1(buffer.getValue());
        } finally {
            netapi().NetApiBufferFree(buffer.getValue());
        }
        String sid;
        try {
            // MACHINE\name, so a domain account of the same name can never be picked up.
            sid = Advapi32Util.getAccountByName(null, Kernel32Util.getComputerName() + "\\" + info.usri1_name).sidString;
        } catch (Win32Exception e) {
            throw new PlatformException("account-lookup-failed", "look up the SID of account " + name + ": " + e.getMessage(), e);
        }
        return Optional.of(new LocalUser(info.usri1_name, sid, info.usri1_flags, info.usri1_priv,
                Integer.toUnsignedLong(info.usri1_password_age)));
    }

    @Override
    public int addUser(String name, NativePassword password, String comment) {
        UserInfo1 info = new UserInfo1();
        info.usri1_name = new WString(name);
        info.usri1_password = password.pointer();
        info.usri1_priv = UserInfo1.USER_PRIV_USER;
        info.usri1_comment = new WString(comment);
        info.usri1_flags = UserInfo1008.UF_SCRIPT | UserInfo1008.UF_NORMAL_ACCOUNT;
        return netapi().NetUserAdd(null, LEVEL_1, info, new IntByReference());
    }

    @Override
    public int addLocalGroupMember(String groupName, String memberSid) {
        WinNT.PSID sid = new WinNT.PSID(Advapi32Util.convertStringSidToSid(memberSid));
        return netapi().NetLocalGroupAddMembers(null, groupName, 0, new LocalGroupMembersInfo0(sid.getPointer()), 1);
    }

    @Override
    public int setUserFlags(String name, int flags) {
        return netapi().NetUserSetInfo(null, name, LEVEL_FLAGS, new UserInfo1008(flags), new IntByReference());
    }

    @Override
    public int setPassword(String name, NativePassword password) {
        return netapi().NetUserSetInfo(null, name, LEVEL_PASSWORD, new UserInfo1003(password.pointer()), new IntByReference());
    }

    @Override
    public int logonNetwork(String name, NativePassword password) {
        WinNT.HANDLEByReference token = new WinNT.HANDLEByReference();
        // "." is the local account database: a domain account of the same name is never tried.
        boolean ok = advapi().LogonUser(name, ".", password.pointer(), CastellanAdvapi32.LOGON32_LOGON_NETWORK,
                CastellanAdvapi32.LOGON32_PROVIDER_DEFAULT, token);
        if (!ok) {
            return com.sun.jna.Native.getLastError();
        }
        com.sun.jna.platform.win32.Kernel32.INSTANCE.CloseHandle(token.getValue());
        return 0;
    }

    @Override
    public int deleteUser(String name) {
        return netapi().NetUserDel(null, name);
    }

    @Override
    public OptionalLong samPasswordLastSet(long rid) {
        try {
            byte[] f = Advapi32Util.registryGetBinaryValue(WinReg.HKEY_LOCAL_MACHINE, SamUserRecord.keyPath(rid), "F");
            return SamUserRecord.passwordLastSet(f, rid);
        } catch (Win32Exception e) {
            // Not SYSTEM (access denied) or no such key: the caller falls back to the password age.
            return OptionalLong.empty();
        }
    }

    private static void checkNtStatus(int ntStatus, String what) throws PlatformException {
        if (ntStatus != 0) {
            int win32 = advapi().LsaNtStatusToWinError(ntStatus);
            throw new PlatformException(win32 == WinError.ERROR_ACCESS_DENIED ? "access-denied" : "account-lookup-failed",
                    what + ": NTSTATUS 0x" + String.format("%08X", ntStatus) + " (Win32 error " + win32 + ")");
        }
    }
}
