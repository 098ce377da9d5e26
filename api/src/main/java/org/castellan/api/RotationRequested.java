package org.castellan.api;

import java.time.Instant;

/** {@code POST /api/v1/devices/{id}/rotate} (202): when the rotation was asked for. */
public record RotationRequested(Instant rotateRequestedAt) {}
