package org.castellan.agent.windows.jna;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;

/**
 * USER_INFO_1003 (lmaccess.h): {@code LPWSTR usri1003_password}. The field is a raw
 * {@link Pointer}, not a String: JNA would copy a String into memory we cannot wipe, so the caller
 * points it at a {@code NativePassword} it clears itself.
 */
@Structure.FieldOrder({"usri1003_password"})
public class UserInfo1003 extends Structure {
    public Pointer usri1003_password;

    public UserInfo1003() {
        super(ALIGN_DEFAULT);
    }

    public UserInfo1003(Pointer password) {
        this();
        this.usri1003_password = password;
    }
}
