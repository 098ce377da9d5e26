package org.castellan.cli.config;

import java.nio.file.Path;

/** The connection-related global flags as given on the command line; any of them may be null. */
public record ConnectionFlags(String server, String token, Path tokenFile, String serverFingerprint, Path config) {}
