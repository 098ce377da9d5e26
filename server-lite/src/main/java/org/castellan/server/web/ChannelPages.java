package org.castellan.server.web;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.List;
import java.util.Map;
import org.castellan.server.admin.ChannelRoutes;
import org.castellan.server.channels.ChannelStore;
import org.castellan.server.guard.Caller;

/**
 * {@code /admin/channels}: webhook channels rules notify. The signing secret is write-only (sealed
 * to the vault key, never shown again); the URL is shown to admins only, as the API lists it.
 * Changes call {@link ChannelRoutes}' API methods.
 */
public final class ChannelPages {
    private static final Map<String, String> DONE = Map.of("created", "Channel created.", "deleted", "Channel deleted.");
    private final ChannelRoutes channels;

    ChannelPages(ChannelRoutes channels) {
        this.channels = channels;
    }

    public void list(Context ctx, Caller admin) {
        StringBuilder body = new StringBuilder("<h1>Channels</h1>").append(AdminPages.notice(ctx, DONE));
        List<ChannelStore.Channel> all = channels.all();
        if (all.isEmpty()) {
            body.append("<p id=\"no-channels\">No channels yet.</p>");
        } else {
            body.append("<table id=\"channels\"><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Type</th>")
                    .append("<th scope=\"col\">URL</th><th scope=\"col\"></th></tr></thead><tbody>");
            for (ChannelStore.Channel ch : all) {
                body.append("<tr data-channel=\"").append(Html.esc(ch.name())).append("\"><td>").append(Html.esc(ch.name()))
                        .append("<br><code>").append(Html.esc(ch.id())).append("</code></td><td>").append(Html.esc(ch.type()))
                        .append("</td><td><code>").append(Html.esc(ch.url())).append("</code></td><td>")
                        .append(Forms.button(ctx, "/admin/channels/" + ch.id() + "/delete", "delete-channel-" + ch.id(),
                                "Delete"))
                        .append("</td></tr>");
            }
            body.append("</tbody></table>");
        }
        body.append(Forms.form(ctx, "/admin/channels", "channel-form", "stack", "<h2>New webhook channel</h2>"
                + Forms.input("channel-name", "name", "Name", "text", 100, "", true)
                + Forms.input("channel-url", "url", "URL (https://…)", "url", 2000, "", true)
                + Forms.input("channel-secret", "secret", "Signing secret (16 to 512 characters; not shown again)",
                        "password", 512, "", true)
                + "<button type=\"submit\">Create channel</button>"));
        AdminPages.page(ctx, 200, admin, "Channels", "/admin/channels", body.toString());
    }

    public void create(Context ctx, Caller admin) {
        channels.create(admin, new ChannelRoutes.Body(Forms.text(ctx, "name"), "webhook", Forms.text(ctx, "url"),
                Forms.text(ctx, "secret")));
        ctx.redirect("/admin/channels?done=created", HttpStatus.SEE_OTHER);
    }

    public void delete(Context ctx, Caller admin) {
        channels.delete(admin, ctx.pathParam("id"));
        ctx.redirect("/admin/channels?done=deleted", HttpStatus.SEE_OTHER);
    }
}
