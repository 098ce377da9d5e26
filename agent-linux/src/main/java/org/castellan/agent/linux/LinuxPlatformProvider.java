package org.castellan.agent.linux;

import java.util.Locale;
import org.castellan.agent.spi.Platform;
import org.castellan.agent.spi.PlatformProvider;

/** Registered in META-INF/services; chosen when the JVM runs on Linux. */
public final class LinuxPlatformProvider implements PlatformProvider {
    @Override
    public boolean isSupported() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
    }

    @Override
    public Platform create() {
        return new LinuxPlatform(System.getenv());
    }
}
