package org.castellan.server.web;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import org.castellan.api.DeviceView;
import org.castellan.api.PasswordReveal;
import org.castellan.api.RecoveryKey;
import org.castellan.protocol.Secret;
import org.castellan.server.admin.DeviceRoutes;
import org.castellan.server.admin.PasswordRoutes;
import org.castellan.server.admin.RecoveryKeyRoutes;
import org.castellan.server.guard.Caller;
import org.castellan.server.guard.DeviceGrant;
import org.castellan.server.http.ApiException;

/**
 * The help desk's pages: search by host-name prefix (keyset pages), a device, and its password or
 * recovery keys. Reveals call the same code as the API ({@link PasswordRoutes#open},
 * {@link RecoveryKeyRoutes#open}) behind the same permission guard, so authorization, reasons,
 * rate limits, rotate-after-read, notifications and audit are the API's.
 */
public final class DevicePages {
    static final int PAGE = 25;
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._-]*");
    private final DeviceRoutes devices;
    private final PasswordRoutes passwords;
    private final RecoveryKeyRoutes recoveryKeys;
    private final Clock clock;
    private final Duration hideAfter;

    public DevicePages(DeviceRoutes devices, PasswordRoutes passwords, RecoveryKeyRoutes recoveryKeys, Clock clock,
                       Duration hideAfter) {
        this.devices = devices;
        this.passwords = passwords;
        this.recoveryKeys = recoveryKeys;
        this.clock = clock;
        this.hideAfter = hideAfter;
    }

    public void search(Context ctx, Caller caller) {
        String q = ctx.queryParam("q");
        q = q == null ? "" : q.strip();
        String after = ctx.queryParam("after");
        if (q.length() > 64 || !PREFIX.matcher(q).matches()) {
            throw ApiException.badRequest("invalid-search",
                    "search by the start of a host name: up to 64 letters, digits, dots, hyphens or underscores");
        }
        if (after != null && (after.length() > 400 || after.isEmpty())) {
            throw ApiException.badRequest("invalid-cursor", "that page link is not valid; search again");
        }
        List<DeviceView> found = devices.search(caller.principal(), q, after, PAGE);
        StringBuilder body = new StringBuilder("<h1>Find a machine</h1>")
                .append("<form method=\"get\" action=\"/\" class=\"search\" role=\"search\" id=\"search-form\">")
                .append("<label for=\"q\">Host name starts with</label>")
                .append("<input id=\"q\" name=\"q\" type=\"search\" autocomplete=\"off\" maxlength=\"64\" autofocus")
                .append(" data-search-as-you-type value=\"").append(Html.esc(q)).append("\">")
                .append("<button type=\"submit\">Search</button></form>");
        body.append("<p class=\"aside\">At a BitLocker or FileVault recovery screen? <a id=\"recovery-key-lookup\""
                + " href=\"/recovery-keys\">Look the recovery key up by its key id</a>.</p>");
        if (found.isEmpty()) {
            body.append("<p id=\"no-results\">No machine you may see matches.</p>");
        } else {
            body.append("<table id=\"results\"><thead><tr><th scope=\"col\">Host name</th><th scope=\"col\">OS</th>")
                    .append("<th scope=\"col\">Last seen</th><th scope=\"col\">Status</th></tr></thead><tbody>");
            for (DeviceView d : found.subList(0, Math.min(PAGE, found.size()))) {
                body.append("<tr><td><a href=\"/devices/").append(Html.esc(d.id())).append("\">")
                        .append(Html.esc(d.hostname())).append("</a></td><td>").append(Html.esc(d.os())).append("</td><td>")
                        .append(ago(d.lastSeenAt())).append("</td><td>").append(Html.esc(d.status())).append("</td></tr>");
            }
            body.append("</tbody></table>");
            if (found.size() > PAGE) {
                DeviceView last = found.get(PAGE - 1);
                body.append("<p><a id=\"next-page\" href=\"/?q=").append(url(q)).append("&amp;after=")
                        .append(url(DeviceRoutes.cursor(last.hostname(), last.id()))).append("\">Next page</a></p>");
            }
        }
        Html.page(ctx, 200, "Find a machine", caller.principal().userName(), body.toString());
    }

    public void device(Context ctx, Caller caller) {
        DeviceView d = devices.lookup(caller.principal(), ctx.pathParam("id"));
        String base = "/devices/" + Html.esc(d.id());
        StringBuilder body = new StringBuilder("<h1 id=\"hostname\">").append(Html.esc(d.hostname())).append("</h1>");
        if ("requested".equals(ctx.queryParam("rotation"))) {
            body.append(Html.message("notice", "Rotation requested: the device changes its password at its next check-in."));
        }
        body.append("<dl class=\"facts\">")
                .append(fact("Operating system", d.os() + (d.osVersion() == null ? "" : " " + d.osVersion())))
                .append(fact("Status", d.status()))
                .append(fact("Last seen", ago(d.lastSeenAt())))
                .append(fact("Account", d.account()))
                .append(fact("Password age", d.passwordRotatedAt() == null ? "no password escrowed yet"
                        : age(d.passwordRotatedAt())));
        if (d.pendingRotation()) {
            body.append(fact("Pending rotation", "may be in use: escrowed but not confirmed by the device"));
        }
        if (d.rotateRequestedAt() != null) {
            body.append(fact("Rotation requested", ago(d.rotateRequestedAt())));
        }
        body.append("</dl>")
                .append(reasonForm(ctx, base + "/password", "reveal-password", "Show password"))
                .append(reasonForm(ctx, base + "/recovery-keys", "reveal-recovery-keys", "Show recovery keys"))
                .append(reasonForm(ctx, base + "/password/history", "password-history", "Show password history"))
                .append("<form method=\"post\" action=\"").append(base).append("/rotate\" id=\"rotate\">")
                .append(Html.csrfField(ctx)).append("<button type=\"submit\">Rotate now</button></form>")
                .append("<p class=\"more\"><a href=\"").append(base).append("/jit\" id=\"jit-link\">Just-in-time admin rights</a>")
                .append(" · <a href=\"").append(base).append("/manage\" id=\"manage-link\">Manage this device</a></p>");
        if (caller.principal().admin()) {
            body.append("<p class=\"admin-links\"><a id=\"device-access\" href=\"/access?device=").append(Html.esc(d.id()))
                    .append("\">Who may access this device, and why</a> · <a id=\"device-audit\" href=\"/audit?device=")
                    .append(Html.esc(d.id())).append("\">Its audit trail</a></p>");
        }
        Html.page(ctx, 200, d.hostname(), caller.principal().userName(), body.toString());
    }

    private static String reasonForm(Context ctx, String action, String id, String label) {
        return "<form method=\"post\" action=\"" + action + "\" class=\"stack reveal\" id=\"" + id + "\">"
                + Html.csrfField(ctx) + "<label for=\"" + id + "-reason\">Reason (e.g. ticket number)</label>"
                + "<input id=\"" + id + "-reason\" name=\"reason\" maxlength=\"500\" autocomplete=\"off\">"
                + "<button type=\"submit\">" + label + "</button></form>";
    }

    public void revealPassword(Context ctx, DeviceGrant grant) {
        PasswordReveal reveal = passwords.open(grant);
        try {
            StringBuilder body = new StringBuilder("<h1>").append(Html.esc(reveal.hostname())).append("</h1>");
            if (reveal.password() != null) {
                body.append("<p>Account <strong id=\"account\">").append(Html.esc(reveal.account())).append("</strong>")
                        .append(reveal.rotatedAt() == null ? "" : ", set " + age(reveal.rotatedAt()))
                        .append(reveal.expiresAt() == null ? "" : "; rotates after " + Html.esc(reveal.expiresAt().toString()))
                        .append("</p>").append(secret("password", reveal.password()));
            }
            for (PasswordReveal.Pending p : reveal.pendingOrEmpty()) {
                body.append("<h2>Pending password (").append(Html.esc(p.note())).append(")</h2>")
                        .append(secret("pending-" + Html.esc(p.rotationId()), p.password()));
            }
            body.append(back(grant));
            Html.page(ctx, 200, "Password of " + reveal.hostname(), grant.principal().userName(), body.toString());
        } finally {
            reveal.wipe();
        }
    }

    public void revealRecoveryKeys(Context ctx, DeviceGrant grant) {
        List<RecoveryKey> keys = recoveryKeys.open(grant);
        try {
            StringBuilder body = new StringBuilder("<h1>Recovery keys of ").append(Html.esc(grant.device().hostname()))
                    .append("</h1>");
            if (keys.isEmpty()) {
                body.append("<p id=\"no-keys\">No recovery key has been escrowed for this device.</p>");
            }
            int i = 0;
            for (RecoveryKey k : keys) {
                body.append("<h2>").append(Html.esc(k.volumeLabel() == null ? k.volumeId() : k.volumeLabel()))
                        .append(" · key id <code>").append(Html.esc(k.protectorId())).append("</code>")
                        .append("luks".equals(k.kind()) ? " · LUKS passphrase" : "")
                        .append(k.pending() ? " (pending: may not be in a key slot yet)" : "")
                        .append(k.current() ? "" : " (removed from the volume)").append("</h2>")
                        .append(secret("recovery-key-" + i++, k.recoveryKey()));
            }
            body.append(back(grant));
            Html.page(ctx, 200, "Recovery keys", grant.principal().userName(), body.toString());
        } finally {
            keys.forEach(RecoveryKey::wipe);
        }
    }

    public void rotate(Context ctx, DeviceGrant grant) {
        devices.rotate(grant);
        ctx.redirect("/devices/" + grant.device().id() + "?rotation=requested", HttpStatus.SEE_OTHER);
    }

    /** A secret shown only when asked for (a disclosure widget, so it works without script), with copy and auto-hide. */
    private String secret(String id, Secret value) {
        return SecretBox.html(id, value, hideAfter);
    }

    private static String back(DeviceGrant grant) {
        return "<p><a href=\"/devices/" + Html.esc(grant.device().id()) + "\">Back to the device</a></p>";
    }

    private static String fact(String name, String value) {
        return "<dt>" + Html.esc(name) + "</dt><dd>" + Html.esc(value == null ? "—" : value) + "</dd>";
    }

    private String ago(Instant at) {
        return at == null ? "never" : age(at);
    }

    private String age(Instant at) {
        Duration d = Duration.between(at, clock.instant());
        if (d.isNegative() || d.toMinutes() < 1) {
            return "just now";
        }
        if (d.toHours() < 1) {
            return d.toMinutes() + " min ago";
        }
        if (d.toDays() < 1) {
            return d.toHours() + " h ago";
        }
        return d.toDays() + " days ago";
    }

    private static String url(String s) {
        return Html.esc(java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8));
    }
}
