package org.castellan.server.audit;

import java.time.Instant;

/** A stored audit row, with its place in the hash chain. */
public record AuditEntry(long id, Instant at, String principal, String action, String outcome,
                         String deviceId, String reason, String clientAddress, String detail,
                         String prevHash, String hash) {}
