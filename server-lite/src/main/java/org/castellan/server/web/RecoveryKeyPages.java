package org.castellan.server.web;

import io.javalin.http.Context;
import java.time.Duration;
import java.util.List;
import org.castellan.api.RecoveryKey;
import org.castellan.server.admin.RecoveryKeyRoutes;
import org.castellan.server.guard.Caller;
import org.castellan.server.guard.DeviceSearch;

/**
 * The recovery screen look-up: a user at a BitLocker (or FileVault) recovery screen reads out the
 * first 8 characters of the key id; the help desk types them here and gets the key of every
 * device it may read ({@code recovery-key.read}) whose key id starts so. The look-up is
 * {@link RecoveryKeyRoutes#find}, the API's own, behind the API's per-device guard and audit.
 */
public final class RecoveryKeyPages {
    private final RecoveryKeyRoutes recoveryKeys;
    private final Duration hideAfter;

    public RecoveryKeyPages(RecoveryKeyRoutes recoveryKeys, Duration hideAfter) {
        this.recoveryKeys = recoveryKeys;
        this.hideAfter = hideAfter;
    }

    public void form(Context ctx, Caller caller) {
        Html.page(ctx, 200, "Recovery key by key id", caller.principal().userName(), "<h1>Recovery key by key id</h1>"
                + form(ctx, ""));
    }

    private static String form(Context ctx, String keyId) {
        return "<p>The recovery screen shows a key id (BitLocker: \"Recovery key ID\", 8 characters to start with)."
                + " Type what the user reads out.</p>"
                + "<form method=\"post\" action=\"/recovery-keys\" class=\"stack reveal\" id=\"recovery-key-form\">"
                + Html.csrfField(ctx)
                + "<label for=\"keyId\">Key id (at least the first 8 characters)</label>"
                + "<input id=\"keyId\" name=\"keyId\" required minlength=\"8\" maxlength=\"40\" autocomplete=\"off\""
                + " spellcheck=\"false\" autocapitalize=\"characters\" autofocus value=\"" + Html.esc(keyId) + "\">"
                + "<label for=\"keyId-reason\">Reason (e.g. ticket number)</label>"
                + "<input id=\"keyId-reason\" name=\"reason\" maxlength=\"500\" autocomplete=\"off\">"
                + "<button type=\"submit\">Show recovery key</button></form>";
    }

    public void lookUp(Context ctx, DeviceSearch search) {
        String keyId = ctx.formParam("keyId");
        List<RecoveryKey> found = recoveryKeys.find(search, keyId);
        try {
            StringBuilder body = new StringBuilder("<h1>Recovery key by key id</h1>");
            if (found.isEmpty()) {
                body.append("<p id=\"no-keys\" role=\"alert\">No recovery key you may read has a key id starting ")
                        .append("<code>").append(Html.esc(keyId.strip())).append("</code>.</p>")
                        .append(form(ctx, keyId.strip()));
            }
            int i = 0;
            for (RecoveryKey k : found) {
                body.append("<h2><a href=\"/devices/").append(Html.esc(k.deviceId())).append("\">")
                        .append(Html.esc(k.hostname())).append("</a> · ")
                        .append(Html.esc(k.volumeLabel() == null ? k.volumeId() : k.volumeLabel()))
                        .append(" · key id <code>").append(Html.esc(k.protectorId())).append("</code>")
                        .append(k.current() ? "" : " (removed from the volume)").append("</h2>")
                        .append(SecretBox.html("recovery-key-" + i++, k.recoveryKey(), hideAfter));
            }
            if (!found.isEmpty()) {
                body.append("<p><a href=\"/recovery-keys\">Look up another key id</a></p>");
            }
            Html.page(ctx, 200, "Recovery key by key id", search.principalName(), body.toString());
        } finally {
            found.forEach(RecoveryKey::wipe);
        }
    }
}
