package org.castellan.agent.diagnose;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Instant;
import java.util.List;
import org.castellan.agent.spi.DiagnosticCheck;
import org.castellan.protocol.Json;

/**
 * The checks of one diagnosis as people read them ({@link #text()}) and as tools and support
 * read them ({@link #json()}). {@link #passed()} is false when any check failed.
 */
public record DiagnosisReport(String agentVersion, String os, String stateDir, Instant generatedAt,
                              List<DiagnosticCheck> checks) {
    public boolean passed() {
        return checks.stream().noneMatch(c -> c.status() == DiagnosticCheck.Status.FAIL);
    }

    public long count(DiagnosticCheck.Status status) {
        return checks.stream().filter(c -> c.status() == status).count();
    }

    public String text() {
        StringBuilder out = new StringBuilder();
        out.append("castellan-agent ").append(agentVersion).append(" diagnose on ").append(os)
                .append(", state directory ").append(stateDir).append(", at ").append(generatedAt).append('\n');
        for (DiagnosticCheck check : checks) {
            out.append(String.format("[%-4s] %s: %s%n", check.status().label(), check.name(), oneLine(check.detail())));
        }
        out.append(passed() ? "all checks passed" : count(DiagnosticCheck.Status.FAIL) + " check(s) failed")
                .append(" (").append(count(DiagnosticCheck.Status.WARN)).append(" warning(s))\n");
        return out.toString();
    }

    /** {@code {"agentVersion":…,"passed":…,"checks":[{"name","status","detail"}…]}}. */
    public String json() {
        record Check(String name, String status, String detail) {}
        record Body(String agentVersion, String os, String stateDir, Instant generatedAt, boolean passed, List<Check> checks) {}
        List<Check> rows = checks.stream().map(c -> new Check(c.name(), c.status().label(), c.detail())).toList();
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(new Body(agentVersion, os, stateDir, generatedAt, passed(), rows)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode the diagnosis", e);
        }
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }
}
