package org.castellan.agent.macos.service;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/** Who owns a path and who may write it; an interface so the safety rule is testable off a Mac. */
public interface PathOwnership {
    /** The path with every symbolic link resolved. */
    Path realPath(Path path) throws IOException;

    Owner describe(Path realPath) throws IOException;

    record Owner(String user, Set<PosixFilePermission> permissions) {}
}
