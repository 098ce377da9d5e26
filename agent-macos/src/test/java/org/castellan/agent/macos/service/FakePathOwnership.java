package org.castellan.agent.macos.service;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Ownership as a test declares it: root-owned 0755 unless a path is given another owner or mode. */
final class FakePathOwnership implements PathOwnership {
    private final Map<Path, Owner> owners = new HashMap<>();
    private final Map<Path, Path> links = new HashMap<>();

    FakePathOwnership owner(String path, String user, String mode) {
        Set<PosixFilePermission> permissions = PosixFilePermissions.fromString(mode);
        owners.put(Path.of(path), new Owner(user, permissions));
        return this;
    }

    FakePathOwnership link(String from, String to) {
        links.put(Path.of(from), Path.of(to));
        return this;
    }

    @Override
    public Path realPath(Path path) {
        return links.getOrDefault(path, path);
    }

    @Override
    public Owner describe(Path realPath) {
        return owners.getOrDefault(realPath, new Owner("root", PosixFilePermissions.fromString("rwxr-xr-x")));
    }
}
