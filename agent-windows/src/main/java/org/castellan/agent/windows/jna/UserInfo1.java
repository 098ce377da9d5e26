package org.castellan.agent.windows.jna;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.WString;

/**
 * USER_INFO_1 (lmaccess.h) for NetUserAdd. jna-platform's {@code LMAccess.USER_INFO_1} holds the
 * password as a String, which JNA copies into memory nobody wipes; here it is a {@link Pointer} to
 * a {@code NativePassword}. Strings are {@link WString} so they are wide whatever the type mapper.
 */
@Structure.FieldOrder({"usri1_name", "usri1_password", "usri1_password_age", "usri1_priv",
        "usri1_home_dir", "usri1_comment", "usri1_flags", "usri1_script_path"})
public class UserInfo1 extends Structure {
    public static final int USER_PRIV_GUEST = 0;
    public static final int USER_PRIV_USER = 1;
    public static final int USER_PRIV_ADMIN = 2;

    public WString usri1_name;
    public Pointer usri1_password;
    public int usri1_password_age;
    public int usri1_priv;
    public WString usri1_home_dir;
    public WString usri1_comment;
    public int usri1_flags;
    public WString usri1_script_path;

    public UserInfo1() {
        super(ALIGN_DEFAULT);
    }
}
