package org.castellan.api;

import java.time.Instant;

/** A user as {@code /api/v1/users} shows it. */
public record UserView(String id, String name, boolean admin, Instant createdAt, Instant disabledAt) {}
