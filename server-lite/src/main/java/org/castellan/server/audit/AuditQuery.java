package org.castellan.server.audit;

import java.time.Instant;

/** Filters for reading the audit log; null means "any". */
public record AuditQuery(String deviceId, String principal, String action, Instant since, int limit) {}
