package org.castellan.protocol.messages;

/** @param state {@code pending}, {@code committed} or {@code retired} */
public record LuksKeyState(String volumeId, String protectorId, String state) {}
