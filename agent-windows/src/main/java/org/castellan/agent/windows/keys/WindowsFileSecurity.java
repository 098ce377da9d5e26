package org.castellan.agent.windows.keys;

import com.sun.jna.platform.win32.AccCtrl;
import com.sun.jna.platform.win32.Advapi32;
import com.sun.jna.platform.win32.Advapi32Util;
import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.Win32Exception;
import com.sun.jna.platform.win32.WinError;
import com.sun.jna.platform.win32.WinNT;
import com.sun.jna.ptr.PointerByReference;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.AclFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;

/** {@link FileSecurity} with java.nio ACLs and, for what java.nio cannot do, advapi32 (Windows only). */
public final class WindowsFileSecurity implements FileSecurity {
    @Override
    public UserPrincipal principalOfSid(String sid) throws IOException {
        try {
            String name = Advapi32Util.getAccountBySid(sid).fqn; // e.g. "NT AUTHORITY\SYSTEM", localized
            return FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(name);
        } catch (Win32Exception e) {
            throw new IOException("resolve " + sid + ": Win32 error " + e.getErrorCode(), e);
        }
    }

    @Override
    public void setAcl(Path path, List<AclEntry> entries) throws IOException {
        AclFileAttributeView view = Files.getFileAttributeView(path, AclFileAttributeView.class);
        if (view == null) {
            throw new IOException("the file system of " + path + " has no access lists");
        }
        view.setAcl(entries);
    }

    @Override
    public void protectFromInheritance(Path path) throws IOException {
        PointerByReference dacl = new PointerByReference();
        PointerByReference descriptor = new PointerByReference();
        String name = path.toAbsolutePath().toString();
        int rc = Advapi32.INSTANCE.GetNamedSecurityInfo(name, AccCtrl.SE_OBJECT_TYPE.SE_FILE_OBJECT,
                WinNT.DACL_SECURITY_INFORMATION, null, null, dacl, null, descriptor);
        check(rc, "read the access list of " + name);
        try {
            rc = Advapi32.INSTANCE.SetNamedSecurityInfo(name, AccCtrl.SE_OBJECT_TYPE.SE_FILE_OBJECT,
                    WinNT.DACL_SECURITY_INFORMATION | WinNT.PROTECTED_DACL_SECURITY_INFORMATION,
                    null, null, dacl.getValue(), null);
            check(rc, "disable inheritance on " + name);
        } finally {
            Kernel32.INSTANCE.LocalFree(descriptor.getValue());
        }
    }

    private static void check(int rc, String what) throws IOException {
        if (rc != WinError.ERROR_SUCCESS) {
            throw new IOException(what + ": Win32 error " + rc);
        }
    }
}
