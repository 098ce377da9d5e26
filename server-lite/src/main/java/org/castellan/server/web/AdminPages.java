package org.castellan.server.web;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.castellan.server.guard.Caller;

/**
 * The administration section's frame: its index at {@code /admin} and the list of its pages shown
 * above each of them. Every page under {@code /admin} is registered with the console's admin guard
 * ({@code routes.consoleAdmin()}): a signed-in user without the admin role gets the API's 403.
 */
public final class AdminPages {
    /** Path → title of each administration page, in menu order. */
    static final Map<String, String> SECTIONS = new LinkedHashMap<>();

    static {
        SECTIONS.put("/admin/rules", "Rules");
        SECTIONS.put("/admin/users", "Users");
        SECTIONS.put("/admin/user-groups", "User groups");
        SECTIONS.put("/admin/device-groups", "Device groups");
        SECTIONS.put("/admin/registration-keys", "Registration keys");
        SECTIONS.put("/admin/devices", "Devices");
        SECTIONS.put("/admin/channels", "Channels");
    }

    public void index(Context ctx, Caller admin) {
        StringBuilder body = new StringBuilder("<h1>Administration</h1><ul class=\"sections\">");
        SECTIONS.forEach((path, title) -> body.append("<li><a href=\"").append(path).append("\">").append(title)
                .append("</a></li>"));
        body.append("</ul>");
        page(ctx, 200, admin, "Administration", "/admin", body.toString());
    }

    /** An administration page: the section menu (the current one marked), then {@code body}. */
    static void page(Context ctx, int status, Caller admin, String title, String current, String body) {
        StringBuilder menu = new StringBuilder("<nav class=\"admin\" aria-label=\"Administration\"><a href=\"/admin\"")
                .append("/admin".equals(current) ? " aria-current=\"page\"" : "").append(">Administration</a>");
        SECTIONS.forEach((path, name) -> menu.append("<a href=\"").append(path).append("\"")
                .append(path.equals(current) ? " aria-current=\"page\"" : "").append(">").append(name).append("</a>"));
        menu.append("</nav>");
        Html.page(ctx, status, title, admin.principal().userName(), menu + body);
    }

    private static final Pattern EDIT_FORM = Pattern.compile("(/admin/[a-z-]+/[A-Za-z0-9-]{1,64})/(edit|preview)");
    private static final Pattern ADMIN_FORM = Pattern.compile("(/admin/[a-z-]+)(/.*)?");
    private static final Pattern DEVICE_FORM = Pattern.compile("(/devices/[A-Za-z0-9-]{1,64})/([a-z-]+)(/.*)?");

    /**
     * On a refused form post: a link back to the page the form is on (an administration section,
     * a device's manage or just-in-time page), where nothing has changed. Empty for anything else
     * and for 403 and 404, which must not suggest that a page behind them exists.
     */
    static String backTo(Context ctx, int status) {
        if (status == 403 || status == 404 || ctx.method() != HandlerType.POST) {
            return "";
        }
        String page = null;
        Matcher admin = ADMIN_FORM.matcher(ctx.path());
        Matcher device = DEVICE_FORM.matcher(ctx.path());
        Matcher edit = EDIT_FORM.matcher(ctx.path());
        if (edit.matches()) {
            page = edit.group(1) + "/edit";
        } else if (admin.matches()) {
            page = admin.group(1);
        } else if (device.matches()) {
            page = switch (device.group(2)) {
                case "jit" -> device.group(1) + "/jit";
                case "approve", "disable", "enable", "delete", "purge" -> device.group(1) + "/manage";
                default -> device.group(1);
            };
        }
        return page == null ? "" : "<p><a id=\"back-to-form\" href=\"" + Html.esc(page) + "\">Back to the form</a></p>";
    }

    /** The notice for {@code ?done=KEY}: only fixed texts, nothing from the query is shown. */
    static String notice(Context ctx, Map<String, String> texts) {
        String done = ctx.queryParam("done");
        return done == null || !texts.containsKey(done) ? "" : Html.message("notice", texts.get(done));
    }
}
