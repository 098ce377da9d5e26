package org.castellan.agent.spi;

public record OsInfo(String hostname, String osVersion) {}
