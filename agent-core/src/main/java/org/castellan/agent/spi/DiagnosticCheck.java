package org.castellan.agent.spi;

/**
 * One line of {@code castellan-agent diagnose}: what was checked, how it went, and what was seen.
 * The detail never holds a secret (it is shown to users and put in support bundles).
 */
public record DiagnosticCheck(String name, Status status, String detail) {
    public enum Status {
        OK, WARN, FAIL, SKIP;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static DiagnosticCheck ok(String name, String detail) {
        return new DiagnosticCheck(name, Status.OK, detail);
    }

    public static DiagnosticCheck warn(String name, String detail) {
        return new DiagnosticCheck(name, Status.WARN, detail);
    }

    public static DiagnosticCheck fail(String name, String detail) {
        return new DiagnosticCheck(name, Status.FAIL, detail);
    }

    public static DiagnosticCheck skip(String name, String detail) {
        return new DiagnosticCheck(name, Status.SKIP, detail);
    }
}
