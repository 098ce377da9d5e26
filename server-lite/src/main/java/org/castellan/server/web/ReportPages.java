package org.castellan.server.web;

import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.castellan.server.admin.ReportRoutes;
import org.castellan.server.guard.Caller;
import org.castellan.server.http.Paging;
import org.castellan.server.reports.FleetReports.Count;
import org.castellan.server.reports.FleetReports.Report;
import org.castellan.server.reports.FleetReports.Row;
import org.castellan.server.reports.FleetReports.Tally;

/**
 * The fleet reports as pages ({@code /reports/NAME}), over the caller's devices only: the same
 * calls as {@code /api/v1/reports/NAME} ({@link ReportRoutes}), keyset pages of {@value #PAGE}.
 */
public final class ReportPages {
    static final int PAGE = 50;
    private final ReportRoutes reports;
    private final Clock clock;

    public ReportPages(ReportRoutes reports, Clock clock) {
        this.reports = reports;
        this.clock = clock;
    }

    public void index(Context ctx, Caller caller) {
        StringBuilder body = new StringBuilder("<h1>Reports</h1><p>Over the devices you may see.</p><ul id=\"reports\">");
        for (Report r : Report.values()) {
            body.append("<li><a href=\"/reports/").append(r.slug()).append("\">").append(Html.esc(r.title())).append("</a></li>");
        }
        for (Count c : Count.values()) {
            body.append("<li><a href=\"/reports/").append(c.slug()).append("\">").append(Html.esc(c.title())).append("</a></li>");
        }
        body.append("</ul>");
        Html.page(ctx, 200, "Reports", caller.principal().userName(), body.toString());
    }

    public void staleDevices(Context ctx, Caller caller) {
        list(ctx, caller, Report.STALE_DEVICES);
    }

    public void overdueRotations(Context ctx, Caller caller) {
        list(ctx, caller, Report.OVERDUE_ROTATIONS);
    }

    public void failingRotations(Context ctx, Caller caller) {
        list(ctx, caller, Report.FAILING_ROTATIONS);
    }

    public void readNotRotated(Context ctx, Caller caller) {
        list(ctx, caller, Report.READ_NOT_ROTATED);
    }

    public void unprotectedVolumes(Context ctx, Caller caller) {
        list(ctx, caller, Report.UNPROTECTED_VOLUMES);
    }

    public void agentVersions(Context ctx, Caller caller) {
        counted(ctx, caller, Count.AGENT_VERSIONS, "Agent version");
    }

    public void osVersions(Context ctx, Caller caller) {
        counted(ctx, caller, Count.OS_VERSIONS, "Operating system");
    }

    private void list(Context ctx, Caller caller, Report report) {
        ReportRoutes.Query query = ReportRoutes.Query.of(ctx, report);
        Integer days = query.days();
        ReportRoutes.Page page = reports.page(caller.principal(), report, days, query.after(), PAGE);
        StringBuilder body = new StringBuilder("<h1>").append(Html.esc(report.title())).append("</h1>")
                .append("<p><a href=\"/reports\">All reports</a></p>");
        if (days != null) {
            body.append("<form method=\"get\" action=\"/reports/").append(report.slug()).append("\" class=\"filters\" id=\"report-form\">")
                    .append("<label for=\"days\">").append(report == Report.STALE_DEVICES ? "Not seen for at least (days)"
                            : "Failed within the last (days)").append("</label>")
                    .append("<input id=\"days\" name=\"days\" type=\"number\" min=\"1\" max=\"").append(ReportRoutes.MAX_DAYS)
                    .append("\" value=\"").append(days).append("\"><button type=\"submit\">Show</button></form>");
        }
        List<Row> rows = page.rows();
        if (rows.isEmpty()) {
            body.append("<p id=\"no-rows\">No device you may see is in this report.</p>");
        } else {
            body.append("<table id=\"report\"><thead><tr><th scope=\"col\">Host name</th><th scope=\"col\">OS</th>")
                    .append("<th scope=\"col\">Agent</th><th scope=\"col\">Last seen</th><th scope=\"col\">")
                    .append(Html.esc(report.atLabel())).append("</th><th scope=\"col\">Detail</th></tr></thead><tbody>");
            for (Row r : rows) {
                body.append("<tr data-device=\"").append(Html.esc(r.device().id())).append("\"><td><a href=\"/devices/")
                        .append(Html.esc(r.device().id())).append("\">").append(Html.esc(r.device().hostname()))
                        .append("</a></td><td>").append(Html.esc(r.device().os()))
                        .append(r.device().osVersion() == null ? "" : " " + Html.esc(r.device().osVersion()))
                        .append("</td><td>").append(Html.esc(r.device().agentVersion())).append("</td><td>")
                        .append(ago(r.device().lastSeenAt())).append("</td><td>")
                        .append(r.at() == null ? "" : Html.esc(r.at().toString()) + " (" + ago(r.at()) + ")")
                        .append("</td><td>").append(Html.esc(r.detail())).append("</td></tr>");
            }
            body.append("</tbody></table>");
        }
        if (page.next() != null) {
            body.append("<p><a id=\"next-page\" href=\"/reports/").append(report.slug()).append("?")
                    .append(days == null ? "" : "days=" + days + "&amp;").append("after=")
                    .append(Html.esc(Paging.cursor(page.next().key()))).append("\">Next page</a></p>");
        }
        Html.page(ctx, 200, report.title(), caller.principal().userName(), body.toString());
    }

    private void counted(Context ctx, Caller caller, Count count, String label) {
        List<Tally> tallies = reports.count(caller.principal(), count);
        StringBuilder body = new StringBuilder("<h1>").append(Html.esc(count.title())).append("</h1>")
                .append("<p><a href=\"/reports\">All reports</a></p>");
        if (tallies.isEmpty()) {
            body.append("<p id=\"no-rows\">No device you may see.</p>");
        } else {
            body.append("<table id=\"report\"><thead><tr><th scope=\"col\">").append(Html.esc(label)).append("</th>")
                    .append(count == Count.OS_VERSIONS ? "<th scope=\"col\">Version</th>" : "")
                    .append("<th scope=\"col\">Devices</th></tr></thead><tbody>");
            for (Tally t : tallies) {
                body.append("<tr><td>").append(Html.esc(t.value() == null ? "unknown" : t.value())).append("</td>")
                        .append(count == Count.OS_VERSIONS ? "<td>" + Html.esc(t.detail() == null ? "unknown" : t.detail())
                                + "</td>" : "")
                        .append("<td>").append(t.devices()).append("</td></tr>");
            }
            body.append("</tbody></table>");
        }
        Html.page(ctx, 200, count.title(), caller.principal().userName(), body.toString());
    }

    private String ago(Instant at) {
        if (at == null) {
            return "never";
        }
        Duration d = Duration.between(at, clock.instant());
        if (d.isNegative()) {
            return "in " + Math.max(1, -d.toDays()) + " days";
        }
        return d.toDays() >= 1 ? d.toDays() + " days ago" : d.toHours() >= 1 ? d.toHours() + " h ago" : "just now";
    }
}
