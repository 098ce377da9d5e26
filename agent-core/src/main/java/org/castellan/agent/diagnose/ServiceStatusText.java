package org.castellan.agent.diagnose;

import java.util.Locale;
import org.castellan.agent.spi.DiagnosticCheck;

/** Reads the platforms' service status lines ({@code ServiceInstaller.status()}) as a check. */
final class ServiceStatusText {
    private ServiceStatusText() {}

    static DiagnosticCheck check(String status) {
        String text = status == null ? "" : status.toLowerCase(Locale.ROOT);
        if (text.isBlank()) {
            return DiagnosticCheck.warn("service", "the platform reported no service status");
        }
        if (text.startsWith("not installed")) {
            return DiagnosticCheck.warn("service", status + "; run 'castellan-agent install-service'");
        }
        for (String notRunning : new String[] {"inactive", "stopped", "failed", "not running", "not loaded", "dead"}) {
            if (text.contains(notRunning)) {
                return DiagnosticCheck.warn("service", status);
            }
        }
        return DiagnosticCheck.ok("service", status);
    }
}
