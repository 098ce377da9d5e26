package org.castellan.agent.windows;

import java.util.Locale;
import org.castellan.agent.spi.Platform;
import org.castellan.agent.spi.PlatformProvider;

/** Registered in META-INF/services; chosen when {@code os.name} starts with "Windows". */
public final class WindowsPlatformProvider implements PlatformProvider {
    @Override
    public boolean isSupported() {
        return supports(System.getProperty("os.name", ""));
    }

    static boolean supports(String osName) {
        return osName.toLowerCase(Locale.ROOT).startsWith("windows");
    }

    @Override
    public Platform create() {
        // Account options will come from the server policy; until then, the safe defaults.
        return WindowsPlatform.create(System.getenv());
    }
}
