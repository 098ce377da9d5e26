package org.castellan.agent.windows.jit;

import com.sun.jna.platform.win32.Advapi32Util;
import com.sun.jna.platform.win32.Win32Exception;
import com.sun.jna.platform.win32.WinError;
import com.sun.jna.platform.win32.WinNT;
import java.util.Optional;
import org.castellan.agent.spi.PlatformException;
import org.castellan.agent.windows.account.Sids;
import org.castellan.agent.windows.jna.LocalGroupMembersInfo0;
import org.castellan.agent.windows.jna.NativeLibraries;

/** {@link AdministratorsGroup} through JNA (advapi32 lookups, netapi32 group membership). Windows only. */
public final class JnaAdministratorsGroup implements AdministratorsGroup {
    private static final int LEVEL_0 = 0;

    @Override
    public String name() throws PlatformException {
        try {
            return Advapi32Util.getAccountBySid(Sids.BUILTIN_ADMINISTRATORS).name;
        } catch (Win32Exception e) {
            throw new PlatformException("group-missing", "look up the Administrators group ("
                    + Sids.BUILTIN_ADMINISTRATORS + "): " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<String> sidOf(String account) throws PlatformException {
        try {
            return Optional.of(Advapi32Util.getAccountByName(null, account).sidString);
        } catch (Win32Exception e) {
            if (e.getErrorCode() == WinError.ERROR_NONE_MAPPED) {
                return Optional.empty();
            }
            throw new PlatformException("account-lookup-failed", "look up account " + account + ": " + e.getMessage(), e);
        }
    }

    @Override
    public int addMember(String group, String memberSid) {
        WinNT.PSID sid = new WinNT.PSID(Advapi32Util.convertStringSidToSid(memberSid));
        return NativeLibraries.netapi32().NetLocalGroupAddMembers(null, group, LEVEL_0,
                new LocalGroupMembersInfo0(sid.getPointer()), 1);
    }

    @Override
    public int deleteMember(String group, String memberSid) {
        WinNT.PSID sid = new WinNT.PSID(Advapi32Util.convertStringSidToSid(memberSid));
        return NativeLibraries.netapi32().NetLocalGroupDelMembers(null, group, LEVEL_0,
                new LocalGroupMembersInfo0(sid.getPointer()), 1);
    }
}
