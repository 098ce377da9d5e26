package org.castellan.agent.jit;

import java.util.List;
import org.castellan.protocol.messages.JitReport;

/**
 * {@code jit-grants.json}: the grants held (with their expiry, so it survives a restart and is
 * enforced with the server unreachable) and the reports not yet delivered to the server.
 */
public record JitFile(List<HeldGrant> grants, List<JitReport> reports) {
    public static final JitFile EMPTY = new JitFile(List.of(), List.of());

    public JitFile {
        grants = grants == null ? List.of() : List.copyOf(grants);
        reports = reports == null ? List.of() : List.copyOf(reports);
    }
}
