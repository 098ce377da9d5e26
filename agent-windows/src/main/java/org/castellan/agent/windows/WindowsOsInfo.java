package org.castellan.agent.windows;

import com.sun.jna.platform.win32.Advapi32Util;
import com.sun.jna.platform.win32.Kernel32Util;
import com.sun.jna.platform.win32.Win32Exception;
import com.sun.jna.platform.win32.WinReg;
import java.util.function.Supplier;
import org.castellan.agent.spi.OsInfo;

/** Host name and a precise Windows version, read fresh each time (Windows only). */
final class WindowsOsInfo implements Supplier<OsInfo> {
    private static final String CURRENT_VERSION = "SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion";

    @Override
    public OsInfo get() {
        return new OsInfo(Kernel32Util.getComputerName(), version());
    }

    private static String version() {
        String javaName = System.getProperty("os.name") + " " + System.getProperty("os.version");
        try {
            String product = Advapi32Util.registryGetStringValue(WinReg.HKEY_LOCAL_MACHINE, CURRENT_VERSION, "ProductName");
            String build = Advapi32Util.registryGetStringValue(WinReg.HKEY_LOCAL_MACHINE, CURRENT_VERSION, "CurrentBuildNumber");
            int ubr = Advapi32Util.registryGetIntValue(WinReg.HKEY_LOCAL_MACHINE, CURRENT_VERSION, "UBR");
            return describe(product, build, ubr, System.getProperty("os.name"));
        } catch (Win32Exception e) {
            return javaName;
        }
    }

    /**
     * "Windows 11 Pro (build 22631.3880)". ProductName still says "Windows 10" on Windows 11, so
     * the product's number is taken from the build (22000 and later are Windows 11).
     */
    static String describe(String productName, String build, int ubr, String javaOsName) {
        String product = productName;
        try {
            if (Integer.parseInt(build) >= 22000 && product.startsWith("Windows 10")) {
                product = "Windows 11" + product.substring("Windows 10".length());
            }
        } catch (NumberFormatException e) {
            return javaOsName + " (build " + build + ")";
        }
        return product + " (build " + build + "." + ubr + ")";
    }
}
