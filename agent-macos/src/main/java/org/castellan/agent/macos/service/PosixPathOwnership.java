package org.castellan.agent.macos.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;

/** {@link PathOwnership} from the file system's POSIX attributes. */
public final class PosixPathOwnership implements PathOwnership {
    @Override
    public Path realPath(Path path) throws IOException {
        return path.toRealPath();
    }

    @Override
    public Owner describe(Path realPath) throws IOException {
        PosixFileAttributes attributes = Files.readAttributes(realPath, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        return new Owner(attributes.owner().getName(), attributes.permissions());
    }
}
