package org.castellan.agent.windows.jna;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.WString;

/** SERVER_INFO_101 (lmserver.h), read from the buffer NetServerGetInfo(101) returns. */
@Structure.FieldOrder({"sv101_platform_id", "sv101_name", "sv101_version_major", "sv101_version_minor",
        "sv101_type", "sv101_comment"})
public class ServerInfo101 extends Structure {
    public static final int SV_TYPE_DOMAIN_CTRL = 0x00000008;
    public static final int SV_TYPE_DOMAIN_BAKCTRL = 0x00000010;

    public int sv101_platform_id;
    public WString sv101_name;
    public int sv101_version_major;
    public int sv101_version_minor;
    public int sv101_type;
    public WString sv101_comment;

    public ServerInfo101() {
        super(ALIGN_DEFAULT);
    }

    public ServerInfo101(Pointer buffer) {
        super(buffer, ALIGN_DEFAULT);
        read();
    }
}
