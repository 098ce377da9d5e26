package org.castellan.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import org.castellan.cli.Session;
import org.castellan.cli.http.Endpoint;
import org.castellan.cli.output.Table;
import org.castellan.cli.output.Values;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code castellan jit list [HOST]}: requests on the devices the caller holds device.jit on. */
@Command(name = "list", description = "List just-in-time requests (of the last 30 days, or every one of HOST).")
final class JitListCommand extends ApiCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "HOST", description = "Only this device (host name or id).")
    String host;

    @Override
    protected void run(Session session) {
        String deviceId = host == null ? null : DeviceRef.resolve(session, host).id();
        // Every page: the server answers a page at a time (X-Next-Cursor names the next).
        JsonNode grants = Pages.all(session, "list just-in-time requests",
                cursor -> Endpoint.of("jit").query("device", deviceId).query("after", cursor));
        if (session.output().json()) {
            session.output().printJson(grants);
            return;
        }
        Table table = Table.withColumns("ID", "HOSTNAME", "USER", "STATUS", "MINUTES", "EXPIRES", "REQUESTED BY",
                "APPROVED BY", "DEVICE REPORTED", "REASON");
        grants.forEach(g -> table.row(Values.text(g, "id"), Values.text(g, "hostname"), Values.text(g, "user"),
                Values.text(g, "status"), Values.text(g, "minutes"), Values.text(g, "expiresAt"),
                Values.text(g, "requestedBy"), Values.text(g, "approvedBy"), Values.joined(g, "agentState", "agentDetail"),
                Values.text(g, "reason")));
        session.output().printTable(table);
    }
}
