package org.castellan.api;

/**
 * {@code POST /api/v1/devices/{id}/purge} and {@code POST /api/v1/devices/{id}/recovery-keys/purge}:
 * what was deleted for good.
 *
 * @param deviceGone true when the device itself (a tombstone) went too
 */
public record Purged(String deviceId, boolean deviceGone, int passwords, int recoveryKeys) {}
