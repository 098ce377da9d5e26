package org.castellan.protocol.messages;

/** The state of a rotation after commit or abort: {@code committed} or {@code aborted}. */
public record RotationStateResponse(String rotationId, String state) {}
