package org.castellan.server.devices;

import java.time.Instant;
import java.util.List;

/** A registered device as stored. */
public record Device(String id, String hostname, String os, String osVersion, String agentVersion,
                     String publicKey, String account, String accountProblem, List<String> warnings,
                     Instant registeredAt, Instant lastSeenAt, Instant rotateRequestedAt, Instant disabledAt) {}
