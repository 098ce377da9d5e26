package org.castellan.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import org.castellan.cli.Host;
import org.castellan.cli.Session;
import org.castellan.cli.http.Endpoint;
import org.castellan.cli.http.LenientJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code castellan jit request HOST --user NAME --for 2h [--reason TEXT]}: prints the request's id alone on stdout. */
@Command(name = "request", description = {"Ask for admin rights for a user on one device for a bounded time; prints"
        + " the request's id alone on stdout.", "The device's agent grants it at its next check-in (or, under a rule"
        + " with requireApproval, once someone else approves it) and removes it at the end."})
final class JitRequestCommand extends ApiCommand {
    @Mixin
    DeviceTarget target;

    @Option(names = "--user", required = true, paramLabel = "NAME", description = "The local or directory user to make an administrator.")
    String user;

    @Option(names = "--for", required = true, paramLabel = "30m|2h|1d", description = "How long (at most 7d).")
    String duration;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why (audited; required by rules with requireReason).")
    String reason;

    private long minutes;

    @Override
    protected void validate(Host host) {
        try {
            Duration d = Expiry.duration(duration);
            if (d.toSecondsPart() != 0 || d.toMinutes() < 1 || d.compareTo(Duration.ofDays(7)) > 0) {
                throw new IllegalArgumentException("'" + duration + "' must be whole minutes, 1m to 7d");
            }
            minutes = d.toMinutes();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--for: " + e.getMessage());
        }
    }

    @Override
    protected void run(Session session) {
        DeviceTarget.Device device = target.resolve(session);
        ObjectNode body = LenientJson.mapper().createObjectNode().put("user", user).put("minutes", minutes);
        JsonNode answer = session.api().post("request admin rights for " + user + " on " + device.hostname(),
                Endpoint.of("devices", device.id(), "jit").query("reason", reason), body).tree();
        if (session.output().json()) {
            session.output().printJson(answer);
            return;
        }
        session.output().printLine(answer.path("id").asText());
        String status = answer.path("status").asText();
        session.output().note(status.equals("pending")
                ? "waiting for approval by someone else: castellan jit approve " + answer.path("id").asText()
                : "admin rights for " + user + " on " + device.hostname() + " until " + answer.path("expiresAt").asText()
                        + "; the device grants them at its next check-in");
    }
}
