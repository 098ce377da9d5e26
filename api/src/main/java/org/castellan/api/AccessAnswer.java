package org.castellan.api;

import java.util.List;

/** {@code GET /api/v1/access}: what a principal may do on a device, and which rules say so. */
public record AccessAnswer(String principal, String device, List<String> permissions, List<RuleRef> rules,
                           boolean requireReason, Integer rotateAfterReadMinutes) {
    public record RuleRef(String id, String name, List<String> permissions) {}
}
