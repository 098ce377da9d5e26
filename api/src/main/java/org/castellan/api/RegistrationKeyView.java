package org.castellan.api;

import java.time.Instant;
import java.util.List;

/** A registration key as {@code GET /api/v1/registration-keys} lists it (and revoke answers it). */
public record RegistrationKeyView(String id, String name, int uses, Integer maxUses, Instant expiresAt, String group,
                                  Instant revokedAt, Instant createdAt, boolean requireApproval, List<String> groups) {}
