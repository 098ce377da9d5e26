package org.castellan.server.groups;

import java.util.List;

/** A group of users, as stored and shown. */
public record UserGroup(String id, String name, List<String> members) {}
