package org.castellan.api;

/**
 * A device group as {@code /api/v1/device-groups} shows it; {@code match} null for explicit members
 * only. Its members are counted, not listed: a group may hold most of the fleet, so they are paged
 * apart ({@code GET /api/v1/device-groups/{id}/members}, {@link DeviceGroupMemberView}).
 *
 * @param memberCount explicit members (deleted devices still in the group included)
 * @param matchedCount devices the match selects now (deleted ones included); null when there is no match
 */
public record DeviceGroupView(String id, String name, Match match, String policy, long memberCount,
                              Long matchedCount) {
    public record Match(String hostname, String os) {}
}
