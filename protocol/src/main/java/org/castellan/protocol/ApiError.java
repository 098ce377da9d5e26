package org.castellan.protocol;

/** The body of every error response: a machine-readable code and a message for people. */
public record ApiError(String error, String message) {}
