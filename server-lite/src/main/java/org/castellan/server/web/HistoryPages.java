package org.castellan.server.web;

import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.castellan.api.PasswordHistoryEntry;
import org.castellan.server.admin.PasswordRoutes;
import org.castellan.server.guard.DeviceGrant;

/**
 * A device's password history ({@code password.history}): every rotation, newest first, with its
 * state and times, and the password of each one that was not aborted, revealed like the current
 * one. The read is {@link PasswordRoutes#openHistory}, the API's own, behind the API's guard.
 */
public final class HistoryPages {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);
    private final PasswordRoutes passwords;
    private final Duration hideAfter;

    public HistoryPages(PasswordRoutes passwords, Duration hideAfter) {
        this.passwords = passwords;
        this.hideAfter = hideAfter;
    }

    public void history(Context ctx, DeviceGrant grant) {
        List<PasswordHistoryEntry> entries = passwords.openHistory(grant);
        try {
            String device = "/devices/" + Html.esc(grant.device().id());
            StringBuilder body = new StringBuilder("<h1>Password history of ")
                    .append(Html.esc(grant.device().hostname())).append("</h1>");
            if (entries.isEmpty()) {
                body.append("<p id=\"no-history\">No password has been escrowed for this device yet.</p>");
            } else {
                body.append("<div class=\"scroll\"><table id=\"history\"><thead><tr><th scope=\"col\">State</th>")
                        .append("<th scope=\"col\">Account</th><th scope=\"col\">Escrowed</th>")
                        .append("<th scope=\"col\">Confirmed</th><th scope=\"col\">Expires</th>")
                        .append("<th scope=\"col\">Password</th></tr></thead><tbody>");
                int i = 0;
                for (PasswordHistoryEntry e : entries) {
                    body.append("<tr class=\"state-").append(Html.esc(e.state())).append("\"><td>")
                            .append(Html.esc(e.state())).append("</td><td>").append(Html.esc(e.account()))
                            .append("</td><td>").append(when(e.escrowedAt())).append("</td><td>")
                            .append(e.abortedAt() != null ? "aborted " + when(e.abortedAt()) : when(e.committedAt()))
                            .append("</td><td>").append(when(e.expiresAt())).append("</td><td>")
                            .append(e.password() == null ? "—" : SecretBox.html("history-" + i, e.password(), hideAfter))
                            .append("</td></tr>");
                    i++;
                }
                body.append("</tbody></table></div>");
            }
            body.append("<p><a href=\"").append(device).append("\">Back to the device</a></p>");
            Html.page(ctx, 200, "Password history of " + grant.device().hostname(), grant.principal().userName(),
                    body.toString());
        } finally {
            entries.forEach(PasswordHistoryEntry::wipe);
        }
    }

    static String when(Instant at) {
        return at == null ? "—" : "<time datetime=\"" + at + "\">" + WHEN.format(at) + "</time>";
    }
}
