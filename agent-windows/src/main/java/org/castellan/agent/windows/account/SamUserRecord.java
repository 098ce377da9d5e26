package org.castellan.agent.windows.account;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.OptionalLong;

/**
 * Reads the SAM's per-user {@code F} value ({@code HKLM\SAM\SAM\Domains\Account\Users\<RID>}), a
 * fixed binary record: FILETIME last logon at 0x08, password last set at 0x18, RID at 0x30,
 * account-control flags at 0x38. The RID inside the record is checked against the one we asked
 * for, so a record of another layout is rejected rather than misread.
 */
public final class SamUserRecord {
    static final int PASSWORD_LAST_SET_OFFSET = 0x18;
    static final int RID_OFFSET = 0x30;
    static final int MIN_LENGTH = 0x50;

    private SamUserRecord() {}

    public static String keyPath(long rid) {
        return String.format("SAM\\SAM\\Domains\\Account\\Users\\%08X", rid);
    }

    public static OptionalLong passwordLastSet(byte[] f, long expectedRid) {
        if (f == null || f.length < MIN_LENGTH) {
            return OptionalLong.empty();
        }
        ByteBuffer buffer = ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN);
        long rid = Integer.toUnsignedLong(buffer.getInt(RID_OFFSET));
        if (rid != expectedRid) {
            return OptionalLong.empty();
        }
        long filetime = buffer.getLong(PASSWORD_LAST_SET_OFFSET);
        return filetime > 0 ? OptionalLong.of(filetime) : OptionalLong.empty();
    }
}
