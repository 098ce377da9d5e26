package org.castellan.agent.windows.keys;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;

/** The Windows-only file-security calls {@link StateDirSecurity} needs. */
public interface FileSecurity {
    /** The principal of a well-known SID, found by SID because its name is localized. */
    UserPrincipal principalOfSid(String sid) throws IOException;

    /** Replaces the path's access list (AclFileAttributeView.setAcl). */
    void setAcl(Path path, List<AclEntry> entries) throws IOException;

    /** Marks the DACL protected, so nothing is inherited from the parent (SE_DACL_PROTECTED). */
    void protectFromInheritance(Path path) throws IOException;
}
