package org.castellan.server.agent;

import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.castellan.protocol.messages.CheckInRequest;
import org.castellan.protocol.messages.CheckInResponse;
import org.castellan.protocol.messages.JitGrant;
import org.castellan.protocol.messages.JitReport;
import org.castellan.server.jit.JitGrantRow;
import org.castellan.server.jit.SqlJitStore;
import org.castellan.server.notify.NotificationEvent;
import org.castellan.server.notify.NotificationOutbox;
import org.castellan.server.audit.AuditActions;
import org.castellan.server.db.Database;
import org.castellan.server.devices.Device;
import org.castellan.server.devices.DeviceStore;
import org.castellan.server.recovery.RecoveryKeyStore;
import org.castellan.server.guard.AgentRequest;
import org.castellan.server.guard.AuditedWrite;
import org.castellan.server.http.ApiException;
import org.castellan.server.http.JsonBody;
import org.castellan.server.http.Responses;
import org.castellan.server.http.TextRules;
import org.castellan.server.policy.Policy;
import org.castellan.server.policy.PolicyLookup;
import org.castellan.server.rotation.RotateDecision;
import org.castellan.server.rotation.RotationStore;
import org.castellan.server.vault.Vault;

/**
 * {@code POST /api/v1/agent/check-in}: records what the device reports and says whether to rotate.
 * A check-in with {@code cloneDetected} comes from a copy of the device's state on another machine:
 * it changes nothing of the device's record but its warnings, where {@code clone-reported:HOST}
 * stays (shown by {@code devices list}), is audited once per copy, and is never told to rotate.
 */
public final class CheckInHandler {
    /** The sticky device warning a clone report leaves: {@code clone-reported:HOSTNAME}. */
    public static final String CLONE_WARNING = "clone-reported:";

    private final Database db;
    private final DeviceStore devices;
    private final RecoveryKeyStore recoveryKeys;
    private final RotationStore rotations;
    private final PolicyLookup policies;
    private final Vault vault;
    private final Clock clock;
    private final SqlJitStore jit;
    private final NotificationOutbox outbox;

    public CheckInHandler(Database db, DeviceStore devices, RotationStore rotations, RecoveryKeyStore recoveryKeys,
                          PolicyLookup policies, Vault vault, Clock clock, SqlJitStore jit, NotificationOutbox outbox) {
        this.db = db;
        this.jit = jit;
        this.outbox = outbox;
        this.devices = devices;
        this.recoveryKeys = recoveryKeys;
        this.rotations = rotations;
        this.policies = policies;
        this.vault = vault;
        this.clock = clock;
    }

    public void handle(Context ctx, AgentRequest signed) {
        JsonBody.requireJsonContentType(ctx);
        CheckInRequest request = JsonBody.parse(signed.body(), CheckInRequest.class);
        String hostname = TextRules.hostname(request.hostname());
        String osVersion = TextRules.optional(request.osVersion(), "osVersion", 100);
        String agentVersion = TextRules.optional(request.agentVersion(), "agentVersion", 100);
        String account = TextRules.optional(request.account(), "account", 64);
        String accountProblem = TextRules.optional(request.accountProblem(), "accountProblem", 200);
        List<String> warnings = warnings(request.warnings());
        String clone = TextRules.optional(request.cloneDetected(), "cloneDetected", 200);
        List<JitReport> jitReports = jitReports(request.jitReports());
        Device device = signed.device();
        Instant now = clock.instant();

        // The write holds only what must be in the writer's transaction (the nonce, the device row,
        // a clone's audit row); the policy and the rotation decision are read afterwards, on this
        // request's thread, from what was just committed, so they do not occupy the single writer.
        // A plain check-in's write is bookkeeping (its nonce, what the device reports, last-seen): the
        // device sends it again within the hour, so it need not wait for an fsync. A clone or a JIT
        // report carries an audit row and a state change of its own: that one is durable.
        boolean bookkeeping = clone == null && jitReports.isEmpty();
        AuditedWrite<Device> work = (c, audit) -> {
            Device stored = devices.byId(c, device.id()).orElseThrow();
            if (clone != null) {
                String warning = CLONE_WARNING + hostname;
                if (!stored.warnings().contains(warning)) {
                    List<String> flagged = new ArrayList<>(stored.warnings());
                    flagged.add(0, warning);
                    devices.checkedIn(c, stored.id(), stored.hostname(), stored.osVersion(), stored.agentVersion(),
                            stored.account(), stored.accountProblem(), flagged.stream().limit(20).toList(),
                            stored.lastSeenAt());
                    audit.append("device:" + device.id(), AuditActions.DEVICE_CLONE_REPORTED, "reported", device.id(),
                            "a copy of this device's state on host " + hostname + ": " + clone);
                }
                return null;
            }
            // A reported copy stays visible after the original's next check-in.
            for (JitReport report : jitReports) {
                recordJitReport(c, audit, stored, report);
            }
            List<String> kept = new ArrayList<>(stored.warnings().stream().filter(w -> w.startsWith(CLONE_WARNING))
                    .toList());
            warnings.stream().filter(w -> !kept.contains(w)).forEach(kept::add);
            List<String> shown = kept.stream().limit(20).toList();
            devices.checkedIn(c, device.id(), hostname, osVersion, agentVersion, account, accountProblem, shown, now);
            return new Device(stored.id(), hostname, stored.os(), osVersion, agentVersion, stored.publicKey(), account,
                    accountProblem, shown, stored.registeredAt(), now, stored.rotateRequestedAt(), stored.disabledAt(),
                    stored.approvedAt(), stored.deletedAt());
        };
        Device updated = bookkeeping ? signed.writeBookkeeping(work) : signed.write(work);
        CheckInResponse response = db.read(c -> {
            if (updated == null) { // a copy: told its policy, never to rotate
                Policy policy = policies.forDevice(c, devices.byId(c, device.id()).orElseThrow());
                return new CheckInResponse(now, policy.toAgentPolicy(), vault.current().publicKey(), false, null);
            }
            Policy policy = policies.forDevice(c, updated);
            Optional<String> reason = RotateDecision.decide(rotations.current(c, device.id()), account,
                    updated.rotateRequestedAt(), policy, now);
            List<JitGrant> held = new ArrayList<>();
            for (JitGrantRow g : jit.activeOn(c, device.id(), now)) {
                held.add(new JitGrant(g.id(), g.account(), g.expiresAt()));
            }
            return new CheckInResponse(now, policy.toAgentPolicy(), vault.current().publicKey(),
                    reason.isPresent(), reason.orElse(null), recoveryKeys.dueForRotation(c, device.id(), now), held,
                    jit.pendingOn(c, device.id(), now));
        });
        Responses.ok(ctx, response);
    }

    /**
     * What the agent did about a grant: stored on the grant, audited as the device, and told to the
     * channels of the rules that allowed the request. A report on another device's grant is ignored.
     */
    private void recordJitReport(java.sql.Connection c, org.castellan.server.guard.RequestAudit audit, Device device,
                                 JitReport report) throws java.sql.SQLException {
        java.util.Optional<JitGrantRow> found = jit.byId(c, report.grantId()).filter(g -> g.deviceId().equals(device.id()));
        if (found.isEmpty()) {
            // Not this device's grant: nothing to record (refusing would leave the agent resending it forever).
            return;
        }
        JitGrantRow grant = found.get();
        String action = switch (report.state()) {
            case JitReport.GRANTED -> AuditActions.JIT_GRANTED;
            case JitReport.REVOKED -> AuditActions.JIT_REMOVED;
            case JitReport.EXPIRED -> AuditActions.JIT_EXPIRED;
            default -> AuditActions.JIT_FAILED;
        };
        jit.agentReport(c, grant.id(), report.state(), report.at(), report.detail());
        audit.append("device:" + device.id(), action, "reported", device.id(), "jit " + grant.id() + " user "
                + grant.account() + " at " + report.at() + (report.detail() == null ? "" : ": " + report.detail()));
        NotificationEvent event = NotificationEvent.of(action, clock.instant(), device.id(), device.hostname(),
                "device:" + device.id(), grant.reason(), List.of());
        for (String channel : grant.channels()) {
            outbox.enqueue(c, channel, event);
        }
    }

    private static List<JitReport> jitReports(List<JitReport> reports) {
        if (reports.size() > 50) {
            throw ApiException.badRequest("invalid-jitReports", "at most 50 jit reports");
        }
        for (JitReport r : reports) {
            boolean known = r != null && List.of(JitReport.GRANTED, JitReport.REVOKED, JitReport.EXPIRED,
                    JitReport.FAILED).contains(r.state());
            if (!known || r.grantId() == null || r.grantId().length() > 64 || r.at() == null
                    || (r.detail() != null && (r.detail().length() > 200 || TextRules.hasControlCharacters(r.detail())))) {
                throw ApiException.badRequest("invalid-jitReports", "each jit report needs a grantId, a state (granted,"
                        + " revoked, expired, failed), an 'at' time and at most 200 characters of detail");
            }
        }
        return reports;
    }

    private static List<String> warnings(List<String> warnings) {
        if (warnings == null) {
            return List.of();
        }
        if (warnings.size() > 20) {
            throw ApiException.badRequest("invalid-warnings", "at most 20 warnings");
        }
        for (String warning : warnings) {
            if (warning == null || warning.length() > 200 || TextRules.hasControlCharacters(warning)) {
                throw ApiException.badRequest("invalid-warnings",
                        "each warning must be a string of at most 200 characters without control characters");
            }
        }
        return List.copyOf(warnings);
    }
}
