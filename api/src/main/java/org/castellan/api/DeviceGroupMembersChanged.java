package org.castellan.api;

/**
 * The answer to {@code POST /api/v1/device-groups/{id}/members}: how many devices joined and left
 * (one already a member, or not one, counts as neither), and the explicit members now.
 */
public record DeviceGroupMembersChanged(int added, int removed, long memberCount) {}
