package org.castellan.api;

import java.time.Instant;
import java.util.List;

/**
 * A device as {@code /api/v1/devices} shows it. A deleted one (status {@code deleted}, only in
 * {@code ?deleted=true} lists and by id) has {@code deletedAt} and {@code purgeAfter}: when the
 * retention job purges its secrets; both null otherwise.
 */
public record DeviceView(String id, String hostname, String os, String osVersion, String agentVersion,
                         String account, String accountProblem, Instant registeredAt, Instant lastSeenAt,
                         Instant passwordRotatedAt, boolean pendingRotation, Instant rotateRequestedAt,
                         List<String> warnings, String status, List<String> groups,
                         List<String> unprotectedVolumes, Instant deletedAt, Instant purgeAfter) {}
