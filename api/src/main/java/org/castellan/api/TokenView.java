package org.castellan.api;

import java.time.Instant;

/** An API token as listed (its secret never again). */
public record TokenView(String id, String name, Instant createdAt, Instant expiresAt, Instant lastUsedAt,
                        Instant revokedAt) {}
