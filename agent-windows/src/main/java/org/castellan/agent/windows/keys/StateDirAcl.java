package org.castellan.agent.windows.keys;

import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.AclEntryFlag;
import java.nio.file.attribute.AclEntryPermission;
import java.nio.file.attribute.AclEntryType;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The access list of the agent's state directory: full control for SYSTEM (S-1-5-18) and
 * Administrators (S-1-5-32-544), nobody else. Directory entries are inherited by new files and
 * subdirectories; files get the same two entries without inheritance flags.
 */
public final class StateDirAcl {
    private StateDirAcl() {}

    public static List<AclEntry> entries(UserPrincipal system, UserPrincipal administrators, boolean directory) {
        Set<AclEntryFlag> flags = directory
                ? EnumSet.of(AclEntryFlag.FILE_INHERIT, AclEntryFlag.DIRECTORY_INHERIT)
                : EnumSet.noneOf(AclEntryFlag.class);
        return List.of(fullControl(system, flags), fullControl(administrators, flags));
    }

    private static AclEntry fullControl(UserPrincipal principal, Set<AclEntryFlag> flags) {
        return AclEntry.newBuilder()
                .setType(AclEntryType.ALLOW)
                .setPrincipal(principal)
                .setPermissions(EnumSet.allOf(AclEntryPermission.class))
                .setFlags(flags)
                .build();
    }
}
