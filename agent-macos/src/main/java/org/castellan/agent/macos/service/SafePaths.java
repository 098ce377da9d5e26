package org.castellan.agent.macos.service;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import org.castellan.agent.spi.PlatformException;

/**
 * Refuses to point a root daemon at a program someone else could replace: the file and every
 * directory above it (after resolving links) must be owned by root and not group- or
 * world-writable. Otherwise whoever can write there gets root at the next start.
 */
public final class SafePaths {
    private final PathOwnership ownership;

    public SafePaths(PathOwnership ownership) {
        this.ownership = ownership;
    }

    public void requireRootOwned(Path path, String what) throws PlatformException {
        Path real;
        try {
            real = ownership.realPath(path.toAbsolutePath().normalize());
        } catch (IOException e) {
            throw new PlatformException("unsafe-path", what + " " + path + " cannot be resolved: " + e.getMessage(), e);
        }
        for (Path p = real; p != null; p = p.getParent()) {
            PathOwnership.Owner owner;
            try {
                owner = ownership.describe(p);
            } catch (IOException e) {
                throw new PlatformException("unsafe-path", what + " " + path + ": cannot read owner of " + p + ": " + e.getMessage(), e);
            }
            if (!owner.user().equals("root")) {
                throw new PlatformException("unsafe-path", what + " " + path + " is not safe for a root daemon: "
                        + p + " is owned by " + owner.user() + ", not root");
            }
            if (owner.permissions().contains(PosixFilePermission.GROUP_WRITE)
                    || owner.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new PlatformException("unsafe-path", what + " " + path + " is not safe for a root daemon: "
                        + p + " is group- or world-writable");
            }
        }
    }
}
