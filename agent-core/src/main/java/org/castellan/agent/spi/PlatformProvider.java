package org.castellan.agent.spi;

/**
 * Found through {@link java.util.ServiceLoader}; each OS module registers one in
 * {@code META-INF/services/org.castellan.agent.spi.PlatformProvider}.
 */
public interface PlatformProvider {
    /** Whether this provider's OS is the one we run on (usually by {@code os.name}). */
    boolean isSupported();

    Platform create();
}
