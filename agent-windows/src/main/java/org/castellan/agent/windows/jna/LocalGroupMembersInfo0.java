package org.castellan.agent.windows.jna;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;

/** LOCALGROUP_MEMBERS_INFO_0 (lmaccess.h): {@code PSID lgrmi0_sid}; adds a member by SID. */
@Structure.FieldOrder({"lgrmi0_sid"})
public class LocalGroupMembersInfo0 extends Structure {
    public Pointer lgrmi0_sid;

    public LocalGroupMembersInfo0() {
        super(ALIGN_DEFAULT);
    }

    public LocalGroupMembersInfo0(Pointer sid) {
        this();
        this.lgrmi0_sid = sid;
    }
}
