package org.castellan.server.web;

import io.javalin.http.Context;
import org.castellan.api.AccessAnswer;
import org.castellan.server.admin.AccessRoutes;
import org.castellan.server.guard.Caller;
import org.castellan.server.http.ApiException;
import org.castellan.server.http.TextRules;

/**
 * Effective access for admins: "what may this user (or user group) do on this device, and which
 * rules say so" — the page of {@code GET /api/v1/access}, answered by the very same code
 * ({@link AccessRoutes#answer}), names accepted for both (a user or group name, a host name).
 * Linked from a device's page ({@code ?device=}) and from a user's ({@code ?principal=user:ID}).
 */
public final class AccessPages {
    private final AccessRoutes access;

    public AccessPages(AccessRoutes access) {
        this.access = access;
    }

    public void access(Context ctx, Caller admin) {
        String principal = field(ctx, "principal", 200);
        String device = field(ctx, "device", 253);
        StringBuilder body = new StringBuilder("<h1>Effective access</h1>")
                .append("<p>What may a user or a user group do on a device, and which rules say so.</p>")
                .append("<form method=\"get\" action=\"/access\" class=\"filters\" id=\"access-form\">")
                .append("<label for=\"principal\">User or group (name, user:ID, user-group:NAME)</label>")
                .append("<input id=\"principal\" name=\"principal\" maxlength=\"200\" autocomplete=\"off\" required value=\"")
                .append(Html.esc(principal)).append("\">")
                .append("<label for=\"device\">Device (host name or id)</label>")
                .append("<input id=\"device\" name=\"device\" maxlength=\"253\" autocomplete=\"off\" required value=\"")
                .append(Html.esc(device)).append("\">")
                .append("<button type=\"submit\">Explain</button></form>");
        if (principal != null && device != null) {
            AccessRoutes.Named who = access.principalFor(principal);
            String deviceId = access.deviceIdFor(device);
            AccessAnswer answer = access.answer(who.wire(), deviceId);
            body.append("<section id=\"answer\"><h2>").append(Html.esc(who.label())).append(" on <a href=\"/devices/")
                    .append(Html.esc(deviceId)).append("\">").append(Html.esc(device)).append("</a></h2>");
            if (who.admin()) {
                body.append("<p id=\"admin-role\">This user has the admin role: every permission on every device,"
                        + " whatever the rules say. Rules below still set reasons, rotation after read and notifications.</p>");
            }
            if (answer.permissions().isEmpty()) {
                body.append("<p id=\"no-access\">No permission: no active rule grants ").append(Html.esc(who.label()))
                        .append(" anything on this device.</p>");
            } else {
                body.append("<p>May: <span id=\"permissions\">").append(Html.esc(String.join(", ", answer.permissions())))
                        .append("</span></p>");
                if (answer.requireReason()) {
                    body.append("<p id=\"reason-required\">A reason is required to read the password.</p>");
                }
                if (answer.rotateAfterReadMinutes() != null) {
                    body.append("<p id=\"rotate-after-read\">The password rotates ").append(answer.rotateAfterReadMinutes())
                            .append(" minutes after it is read.</p>");
                }
            }
            if (!answer.rules().isEmpty()) {
                body.append("<table id=\"rules\"><thead><tr><th scope=\"col\">Rule</th><th scope=\"col\">Grants</th>")
                        .append("</tr></thead><tbody>");
                for (AccessAnswer.RuleRef rule : answer.rules()) {
                    body.append("<tr data-rule=\"").append(Html.esc(rule.id())).append("\"><td>").append(Html.esc(rule.name()))
                            .append(" <code>").append(Html.esc(rule.id())).append("</code></td><td>")
                            .append(Html.esc(String.join(", ", rule.permissions()))).append("</td></tr>");
                }
                body.append("</tbody></table>");
            }
            body.append("<p><a href=\"/audit?device=").append(Html.esc(url(deviceId))).append("&amp;principal=")
                    .append(Html.esc(url(who.wire()))).append("\">Audit entries of ").append(Html.esc(who.label()))
                    .append(" on this device</a></p></section>");
        }
        Html.page(ctx, 200, "Effective access", admin.principal().userName(), body.toString());
    }

    private static String field(Context ctx, String name, int max) {
        String value = ctx.queryParam(name);
        if (value == null) {
            return null;
        }
        TextRules.optional(value, name, max);
        String stripped = TextRules.strip(value);
        if (stripped.isEmpty()) {
            return null;
        }
        if (stripped.length() > max) {
            throw ApiException.badRequest("invalid-" + name, name + " is too long");
        }
        return stripped;
    }

    private static String url(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }
}
