/**
 * Who may do what to which device: rules, device groups, the effective-access answer and the
 * policy choice. Plain Java, no storage and no HTTP: the server loads rows and asks.
 *
 * <h2>Authorization</h2>
 * A {@link org.castellan.server.access.Rule} grants {@link org.castellan.server.access.Permission}s
 * to principals ({@code user:ID}, {@code user-group:ID}) over targets ({@code device:ID},
 * {@code device-group:ID}, {@code all}). {@link org.castellan.server.access.AccessEvaluator}
 * unions what every active matching rule grants; nothing is granted by default. Expired
 * ({@code now >= expiresAt}) and disabled rules are ignored. Disabled or unapproved devices get no
 * secret permissions ({@code password.read}, {@code password.history}, {@code recovery-key.read}).
 * Per-rule options combine strictly: a reason is required if any matching rule granting
 * {@code password.read} requires one, {@code rotateAfterReadMinutes} is the minimum among those
 * rules, channels are the union. Admins bypass the evaluator; that decision is the caller's.
 *
 * <h2>Device groups and "most specific"</h2>
 * A device is in a group when listed explicitly or when it satisfies the group's match (a
 * hostname glob with only {@code *} and {@code ?}, case-insensitive; and/or an OS). When several
 * groups carrying policies contain a device, {@link org.castellan.server.access.PolicyResolver}
 * picks: explicit membership over match membership; then the hostname pattern with more literal
 * (non-wildcard) characters (OS-only matches count 0); then the group name ascending; then the
 * group id. No such group: the {@code default} policy.
 */
package org.castellan.server.access;
