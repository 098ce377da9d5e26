package org.castellan.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.castellan.cli.Host;
import org.castellan.cli.Session;
import org.castellan.cli.http.Endpoint;
import org.castellan.cli.http.LenientJson;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code castellan rules create NAME --principal P... --target T... --permission X...}: prints the
 * new rule's id. Shapes are checked here; the permission names are left to the server, which
 * names the field it refuses.
 */
@Command(name = "create", description = {"Create an access rule; prints its id alone on stdout.",
        "Permissions: password.read, password.history, recovery-key.read, device.rotate, device.manage, device.jit."})
final class RulesCreateCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "Rule name, e.g. 'helpdesk reads laptops'.")
    String name;

    @Option(names = "--principal", required = true, paramLabel = "user:NAME|user-group:NAME", description = "Who (repeatable); a name or an id after the colon.")
    List<String> principals = new ArrayList<>();

    @Option(names = "--target", required = true, paramLabel = "device:HOSTNAME|device-group:NAME|all", description = "Which devices (repeatable); a name or an id after the colon.")
    List<String> targets = new ArrayList<>();

    @Option(names = "--permission", required = true, paramLabel = "PERMISSION",
            completionCandidates = Principals.PermissionCandidates.class, description = "What (repeatable): ${COMPLETION-CANDIDATES}.")
    List<String> permissions = new ArrayList<>();

    @Option(names = "--require-reason", description = "Reads under this rule must give --reason.")
    boolean requireReason;

    @Option(names = "--require-approval", description = "device.jit requests under this rule wait for a second"
            + " person's approval (never the requester's).")
    boolean requireApproval;

    @Option(names = "--rotate-after-read", paramLabel = "60m|1h|MINUTES",
            description = "Rotate the password this long after each read under this rule (0: at the next check-in).")
    String rotateAfterRead;

    @Option(names = "--require-second-factor", paramLabel = "MINUTES",
            description = "Secrets under this rule need a second factor shown within the last MINUTES (1 to 1440):"
                    + " TOTP in the web console, or the identity provider's MFA. API tokens (this CLI) are refused"
                    + " such reads and pointed to the web console.")
    Integer requireSecondFactorMinutes;

    @Option(names = "--channel", paramLabel = "CHANNEL", description = "Notify this channel (name or id) of reads (repeatable).")
    List<String> channels = new ArrayList<>();

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    ExpiryOptions expiry;

    private Integer rotateAfterMinutes;
    private Instant expiresAt;

    @Override
    protected void validate(Host host) {
        principals.forEach(principal -> Principals.checkPrincipal(spec, "--principal", principal));
        targets.forEach(target -> Principals.checkTarget(spec, target));
        if (rotateAfterRead != null) {
            rotateAfterMinutes = minutes(rotateAfterRead);
        }
        if (requireSecondFactorMinutes != null && (requireSecondFactorMinutes < 1 || requireSecondFactorMinutes > 1440)) {
            throw new ParameterException(spec.commandLine(), "--require-second-factor: minutes must be 1 to 1440");
        }
        expiresAt = ExpiryOptions.resolve(expiry, spec, host.clock());
    }

    /**
     * {@code 90} (minutes), {@code 60m}, {@code 1h}, {@code P1D}: a whole number of minutes. {@code 0}
     * means the password expires as soon as it is read (the agent rotates at its next check-in).
     */
    private int minutes(String text) {
        try {
            Duration duration = text.strip().matches("\\d{1,7}") ? Duration.ofMinutes(Long.parseLong(text.strip()))
                    : Expiry.duration(text);
            if (duration.isNegative() || duration.toSecondsPart() != 0 || duration.toMinutes() > 525_600) {
                throw new IllegalArgumentException("'" + text + "' must be a whole number of minutes, 0 to 525600 (a year)");
            }
            return (int) duration.toMinutes();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--rotate-after-read: " + e.getMessage());
        }
    }

    @Override
    protected void run(Session session) {
        String context = "create rule '" + name + "'";
        ObjectNode body = LenientJson.mapper().createObjectNode().put("name", name);
        com.fasterxml.jackson.databind.node.ArrayNode who = body.putArray("principals");
        principals.forEach(p -> who.add(Refs.principal(session, p)));
        com.fasterxml.jackson.databind.node.ArrayNode which = body.putArray("targets");
        targets.forEach(t -> which.add(Refs.target(session, t)));
        permissions.forEach(body.putArray("permissions")::add);
        body.put("requireReason", requireReason);
        if (requireApproval) {
            body.put("requireApproval", true);
        }
        if (rotateAfterMinutes != null) {
            body.put("rotateAfterReadMinutes", rotateAfterMinutes);
        }
        if (requireSecondFactorMinutes != null) {
            body.put("requireSecondFactorMinutes", requireSecondFactorMinutes);
        }
        if (!channels.isEmpty()) {
            Refs.ids(session, Refs.Kind.CHANNEL, channels).forEach(body.putArray("channels")::add);
        }
        if (expiresAt != null) {
            body.put("expiresAt", expiresAt.toString());
        }
        Show.created(session, context, session.api().post(context, Endpoint.of("rules"), body).tree(), "rule '" + name + "'");
    }
}
