package org.castellan.agent.windows.jna;

import com.sun.jna.Native;
import com.sun.jna.win32.W32APIOptions;
import java.util.Map;

/**
 * Loads the extended bindings on first use only (lazy holders), so that merely loading Castellan's
 * classes on Linux or macOS never calls {@code Native.load("Netapi32")}.
 */
public final class NativeLibraries {
    /** Unicode options: String parameters become wide strings, names resolve to their W variants. */
    static final Map<String, Object> LOAD_OPTIONS = W32APIOptions.DEFAULT_OPTIONS;

    private NativeLibraries() {}

    public static CastellanNetapi32 netapi32() {
        return NetapiHolder.INSTANCE;
    }

    public static CastellanAdvapi32 advapi32() {
        return AdvapiHolder.INSTANCE;
    }

    private static final class NetapiHolder {
        static final CastellanNetapi32 INSTANCE =
                Native.load("Netapi32", CastellanNetapi32.class, LOAD_OPTIONS);
    }

    private static final class AdvapiHolder {
        static final CastellanAdvapi32 INSTANCE =
                Native.load("Advapi32", CastellanAdvapi32.class, LOAD_OPTIONS);
    }
}
