package org.castellan.agent.macos;

import org.castellan.agent.spi.Platform;
import org.castellan.agent.spi.PlatformProvider;

/** Registered in META-INF/services; chosen when the JVM runs on macOS. */
public final class MacPlatformProvider implements PlatformProvider {
    @Override
    public boolean isSupported() {
        return System.getProperty("os.name", "").startsWith("Mac");
    }

    @Override
    public Platform create() {
        return new MacPlatform();
    }
}
