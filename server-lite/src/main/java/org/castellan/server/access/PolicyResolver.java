package org.castellan.server.access;

import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;

/**
 * Picks the one policy that governs a device, deterministically.
 *
 * <p>Policies attach to device groups ({@code policyByGroupId}). Among the groups that contain
 * the device and carry a policy, the most specific wins:
 * <ol>
 *   <li>a group the device is an explicit member of beats any group it is in only by match;</li>
 *   <li>among match memberships, the group whose hostname pattern has more literal
 *       (non-wildcard) characters wins; an OS-only match counts as 0;</li>
 *   <li>remaining ties go to the group name in ascending {@link String#compareTo} order, then
 *       the group id (names should be unique, the id makes it total regardless).</li>
 * </ol>
 * A device in no such group gets {@value #DEFAULT_POLICY}.
 */
public final class PolicyResolver {
    public static final String DEFAULT_POLICY = "default";

    /** The chosen policy, and the group it came through (empty for the default). */
    public record PolicyChoice(String policyName, Optional<DeviceGroup> group) {}

    private PolicyResolver() {}

    public static PolicyChoice resolve(DeviceFacts device, Collection<DeviceGroup> groups,
                                       Map<String, String> policyByGroupId) {
        return mostSpecificGroup(device, groups.stream()
                        .filter(g -> policyByGroupId.containsKey(g.id())).toList())
                .map(g -> new PolicyChoice(policyByGroupId.get(g.id()), Optional.of(g)))
                .orElse(new PolicyChoice(DEFAULT_POLICY, Optional.empty()));
    }

    /** The most specific of {@code groups} containing {@code device}, by the order above. */
    public static Optional<DeviceGroup> mostSpecificGroup(DeviceFacts device, Collection<DeviceGroup> groups) {
        return groups.stream()
                .filter(g -> g.contains(device))
                .min(specificityFor(device));
    }

    /** Orders groups containing {@code device} from most to least specific. */
    public static Comparator<DeviceGroup> specificityFor(DeviceFacts device) {
        Comparator<DeviceGroup> explicitFirst = Comparator.comparing(
                g -> g.membershipOf(device).orElseThrow() != DeviceGroup.Membership.EXPLICIT);
        Comparator<DeviceGroup> longerLiteralFirst = Comparator.comparingInt(
                g -> g.membershipOf(device).orElseThrow() == DeviceGroup.Membership.EXPLICIT
                        ? 0 : -g.match().hostnameLiteralLength());
        return explicitFirst.thenComparing(longerLiteralFirst)
                .thenComparing(DeviceGroup::name)
                .thenComparing(DeviceGroup::id);
    }
}
