package org.castellan.agent.windows.jna;

import com.sun.jna.Structure;

/** USER_INFO_1008 (lmaccess.h): {@code DWORD usri1008_flags} (UF_* bits). */
@Structure.FieldOrder({"usri1008_flags"})
public class UserInfo1008 extends Structure {
    public static final int UF_SCRIPT = 0x0001;
    public static final int UF_ACCOUNTDISABLE = 0x0002;
    public static final int UF_LOCKOUT = 0x0010;
    public static final int UF_NORMAL_ACCOUNT = 0x0200;
    public static final int UF_DONT_EXPIRE_PASSWD = 0x10000;

    public int usri1008_flags;

    public UserInfo1008() {
        super(ALIGN_DEFAULT);
    }

    public UserInfo1008(int flags) {
        this();
        this.usri1008_flags = flags;
    }
}
