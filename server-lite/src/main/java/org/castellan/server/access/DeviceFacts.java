package org.castellan.server.access;

import java.util.Objects;

/** What access decisions need to know about a device. {@code os} is linux, windows or macos. */
public record DeviceFacts(String id, String hostname, String os, boolean disabled, boolean approved) {
    public DeviceFacts {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(hostname, "hostname");
    }

    /** Only an enabled, approved device may have its secrets handed out. */
    public boolean mayRevealSecrets() {
        return !disabled && approved;
    }
}
