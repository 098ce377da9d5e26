package org.castellan.agent.windows.jna;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.platform.win32.Netapi32;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The netapi32 functions jna-platform does not bind, added the way OSHI extends IPHlpAPI. Loaded
 * with {@code W32APIOptions.DEFAULT_OPTIONS} (unicode: String parameters are passed as wide
 * strings), only on Windows, through {@link NativeLibraries#netapi32()}.
 */
public interface CastellanNetapi32 extends Netapi32 {
    /** Sets one piece of a local user's information, e.g. level 1003 (password), 1008 (flags). */
    int NetUserSetInfo(String servername, String username, int level, Structure buf, IntByReference parm_err);

    /** Adds members to a local group; level 0 passes members by SID, level 3 by DOMAIN\name. */
    int NetLocalGroupAddMembers(String servername, String groupname, int level, Structure buf, int totalentries);

    /** Removes members from a local group; level 0 passes members by SID. */
    int NetLocalGroupDelMembers(String servername, String groupname, int level, Structure buf, int totalentries);

    /** Level 101 tells whether this machine is a domain controller ({@code sv101_type}). */
    int NetServerGetInfo(String servername, int level, PointerByReference bufptr);

    /** Frees buffers the Net* functions allocate (re-declared for readability in this file). */
    @Override
    int NetApiBufferFree(Pointer buffer);
}
