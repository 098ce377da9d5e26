package org.castellan.agent.client;

import java.time.Instant;

/**
 * What {@code GET /healthz} told: the server answered over (pinned) TLS, and its clock.
 *
 * @param serverTime the HTTP {@code Date} header (second resolution), or null when absent
 */
public record ServerHealth(int status, Instant serverTime) {}
