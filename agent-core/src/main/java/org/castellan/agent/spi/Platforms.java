package org.castellan.agent.spi;

import java.util.ServiceLoader;

/** Chooses the platform once, at start-up, among the providers on the class path. */
public final class Platforms {
    private static volatile Platform current;

    private Platforms() {}

    public static Platform current() {
        Platform platform = current;
        if (platform == null) {
            synchronized (Platforms.class) {
                if (current == null) {
                    current = detect();
                }
                platform = current;
            }
        }
        return platform;
    }

    private static Platform detect() {
        for (PlatformProvider provider : ServiceLoader.load(PlatformProvider.class)) {
            if (provider.isSupported()) {
                return provider.create();
            }
        }
        throw new IllegalStateException("Castellan has no agent support for this operating system ("
                + System.getProperty("os.name") + ")");
    }
}
