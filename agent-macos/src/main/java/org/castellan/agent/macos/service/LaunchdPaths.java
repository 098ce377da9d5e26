package org.castellan.agent.macos.service;

import java.nio.file.Path;

/**
 * Where the launchd daemon's files go; overridable so tests write into a temp directory.
 *
 * @param plist the daemon definition, {@code /Library/LaunchDaemons/org.castellan.agent.plist}
 * @param logDir stdout/stderr logs, {@code /Library/Logs/Castellan}
 * @param rootOwnership give the files to root:wheel (off in tests, which do not run as root on a Mac)
 */
public record LaunchdPaths(Path plist, Path logDir, boolean rootOwnership) {
    public static final String LABEL = "org.castellan.agent";

    public static LaunchdPaths defaults() {
        return new LaunchdPaths(Path.of("/Library/LaunchDaemons/" + LABEL + ".plist"), Path.of("/Library/Logs/Castellan"), true);
    }
}
