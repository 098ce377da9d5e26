package org.castellan.agent.windows.jna;

import com.sun.jna.Structure;
import com.sun.jna.WString;

/** LOCALGROUP_MEMBERS_INFO_3 (lmaccess.h): {@code LPWSTR lgrmi3_domainandname}. */
@Structure.FieldOrder({"lgrmi3_domainandname"})
public class LocalGroupMembersInfo3 extends Structure {
    public WString lgrmi3_domainandname;

    public LocalGroupMembersInfo3() {
        super(ALIGN_DEFAULT);
    }

    public LocalGroupMembersInfo3(String domainAndName) {
        this();
        this.lgrmi3_domainandname = new WString(domainAndName);
    }
}
