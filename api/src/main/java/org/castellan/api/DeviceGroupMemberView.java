package org.castellan.api;

/**
 * One device of a device group, as {@code GET /api/v1/device-groups/{id}/members} pages them in id
 * order: a device that is both listed and matched appears once, with both flags set.
 *
 * @param explicit listed in the group (removable with {@code POST .../members {"remove":[…]}})
 * @param matched selected by the group's match (leaves only when its host name or OS changes)
 * @param deleted a tombstone: still a member until it is purged, so the group's rules reach its secrets
 */
public record DeviceGroupMemberView(String id, String hostname, String os, boolean explicit, boolean matched,
                                    boolean deleted) {}
