package org.castellan.server.web;

import io.javalin.http.Context;
import org.castellan.server.guard.ConsoleGuard;
import org.castellan.server.users.SqlWebSessionStore;

/** The header's links for a signed-in user: just-in-time admin rights and reports for everyone; administration, audit and access for admins. */
final class Navigation {
    private Navigation() {}

    static String links(Context ctx) {
        SqlWebSessionStore.WebSession session = ConsoleGuard.session(ctx);
        if (session == null) {
            return "";
        }
        return "<a href=\"/jit\" id=\"nav-jit\">Just-in-time admin</a>"
                + "<a href=\"/reports\" id=\"nav-reports\">Reports</a>"
                + (session.admin() ? "<a href=\"/admin\" id=\"nav-admin\">Administration</a>"
                        + "<a href=\"/audit\" id=\"nav-audit\">Audit</a><a href=\"/access\" id=\"nav-access\">Access</a>" : "");
    }
}
