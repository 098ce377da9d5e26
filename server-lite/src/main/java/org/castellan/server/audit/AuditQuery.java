package org.castellan.server.audit;

import java.time.Instant;

/** Filters for reading the audit log; null means "any". {@code beforeId}: only rows older than that id (paging). */
public record AuditQuery(String deviceId, String principal, String action, String outcome, Instant since,
                         Instant until, Long beforeId, int limit) {}
