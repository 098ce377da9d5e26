package org.castellan.agent.diagnose;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.castellan.agent.AgentException;
import org.castellan.agent.client.ServerApi;
import org.castellan.agent.client.ServerConnector;
import org.castellan.agent.client.ServerException;
import org.castellan.agent.client.ServerHealth;
import org.castellan.agent.identity.MachineFingerprint;
import org.castellan.agent.spi.DiagnosticCheck;
import org.castellan.agent.spi.ManagedAccount;
import org.castellan.agent.spi.Platform;
import org.castellan.agent.spi.PlatformException;
import org.castellan.agent.spi.RecoveryKey;
import org.castellan.agent.spi.RecoveryKeySource;
import org.castellan.agent.state.AgentState;
import org.castellan.agent.state.DeviceKeyStore;
import org.castellan.agent.state.JournalEntry;
import org.castellan.agent.state.RotationJournal;
import org.castellan.agent.state.StateDir;
import org.castellan.agent.state.StateStore;
import org.castellan.protocol.signing.DeviceKeyPair;

/**
 * {@code castellan-agent diagnose}: every check in order, none of which changes anything (no
 * check-in, no rotation, no account created). Each failure is a line, never an exception, so the
 * report is complete even on a broken machine.
 */
public final class Diagnosis {
    /** Beyond this the server refuses signed requests as stale (docs/agent-protocol.md). */
    static final Duration MAX_SKEW = Duration.ofSeconds(300);
    static final Duration WARN_SKEW = Duration.ofSeconds(60);

    private final Platform platform;
    private final StateDir dir;
    private final ServerConnector connector;
    private final Clock clock;
    private final SecureRandom random;

    public Diagnosis(Platform platform, StateDir dir, ServerConnector connector, Clock clock, SecureRandom random) {
        this.platform = platform;
        this.dir = dir;
        this.connector = connector;
        this.clock = clock;
        this.random = random;
    }

    public List<DiagnosticCheck> run() {
        List<DiagnosticCheck> checks = new ArrayList<>();
        checks.add(DiagnosticCheck.ok("platform", platform.os() + ", " + platform.osInfo().osVersion()
                + ", host " + platform.osInfo().hostname()));
        Optional<AgentState> state = loadState(checks);
        DeviceKeyPair key = state.isPresent() ? deviceKey(checks) : null;
        state.ifPresent(s -> server(checks, s, key));
        state.ifPresent(s -> identity(checks, s));
        account(checks, state);
        journal(checks);
        recoveryKeys(checks);
        service(checks);
        state.ifPresent(s -> history(checks, s));
        checks.addAll(safely(() -> platform.diagnostics(dir.path())));
        return List.copyOf(checks);
    }

    private Optional<AgentState> loadState(List<DiagnosticCheck> checks) {
        try {
            Optional<AgentState> state = new StateStore(dir).load();
            checks.add(state.map(s -> DiagnosticCheck.ok("registration", "device " + s.deviceId() + " with "
                            + s.server() + ", registered " + s.registeredAt()))
                    .orElse(DiagnosticCheck.fail("registration", "not registered (no " + dir.resolve(StateStore.FILE)
                            + "); run 'castellan-agent register'")));
            return state;
        } catch (AgentException e) {
            checks.add(DiagnosticCheck.fail("registration", e.getMessage()));
            return Optional.empty();
        }
    }

    private DeviceKeyPair deviceKey(List<DiagnosticCheck> checks) {
        try {
            DeviceKeyPair key = new DeviceKeyStore(dir, platform.keyProtector()).load();
            checks.add(DiagnosticCheck.ok("device-key", "loads; sealed with " + platform.keyProtector().name()));
            return key;
        } catch (AgentException e) {
            checks.add(DiagnosticCheck.fail("device-key", e.getMessage()));
            return null;
        }
    }

    private void server(List<DiagnosticCheck> checks, AgentState state, DeviceKeyPair deviceKey) {
        // The probe is unsigned; a throwaway key only satisfies the connector when the real one is broken.
        DeviceKeyPair key = deviceKey != null ? deviceKey : DeviceKeyPair.generate(random);
        String pin = state.serverFingerprint() == null ? "system CAs" : "pinned sha256 " + state.serverFingerprint();
        ServerHealth health;
        Instant sent = clock.instant();
        try {
            ServerApi api = connector.connect(state.server(), state.serverFingerprint(), key, state.deviceId());
            health = api.health();
        } catch (ServerException e) {
            if (ServerException.TLS_FAILURE.equals(e.code())) {
                checks.add(DiagnosticCheck.ok("server-reachable", state.server() + " accepts connections"));
                checks.add(DiagnosticCheck.fail("server-certificate", "the server's certificate does not match ("
                        + pin + "): " + e.getMessage()));
            } else {
                checks.add(DiagnosticCheck.fail("server-reachable", state.server() + ": " + e.getMessage()));
                checks.add(DiagnosticCheck.skip("server-certificate", pin + " (not checked: no connection)"));
            }
            checks.add(DiagnosticCheck.skip("clock-skew", "not checked: no answer from the server"));
            return;
        } catch (RuntimeException e) {
            checks.add(DiagnosticCheck.fail("server-reachable", state.server() + ": " + AgentException.describe(e)));
            return;
        }
        checks.add(health.status() == 200
                ? DiagnosticCheck.ok("server-reachable", state.server() + " answers /healthz")
                : DiagnosticCheck.warn("server-reachable", state.server() + " answers /healthz with HTTP " + health.status()));
        checks.add(DiagnosticCheck.ok("server-certificate", "matches (" + pin + ")"));
        if (health.serverTime() == null) {
            checks.add(DiagnosticCheck.skip("clock-skew", "the server sent no Date header"));
            return;
        }
        Instant received = clock.instant();
        Instant local = sent.plus(Duration.between(sent, received).dividedBy(2));
        Duration skew = Duration.between(health.serverTime(), local).abs();
        String detail = "this clock is " + skew.toSeconds() + " s " + (local.isAfter(health.serverTime()) ? "ahead of" : "behind")
                + " the server's (requests are refused beyond " + MAX_SKEW.toSeconds() + " s)";
        checks.add(skew.compareTo(MAX_SKEW) > 0 ? DiagnosticCheck.fail("clock-skew", detail)
                : skew.compareTo(WARN_SKEW) > 0 ? DiagnosticCheck.warn("clock-skew", detail)
                : DiagnosticCheck.ok("clock-skew", detail));
    }

    private void identity(List<DiagnosticCheck> checks, AgentState state) {
        var current = MachineFingerprint.digest(safely(platform::machineIdentity));
        if (state.machineIdentity() == null || state.machineIdentity().isEmpty()) {
            checks.add(current.isEmpty()
                    ? DiagnosticCheck.warn("machine-identity", "this platform reports no machine identity: copies of the state directory cannot be caught")
                    : DiagnosticCheck.warn("machine-identity", "none recorded at registration; the next check-in records "
                            + String.join(", ", current.keySet())));
            return;
        }
        MachineFingerprint.Comparison comparison = MachineFingerprint.compare(state.machineIdentity(), current);
        checks.add(switch (comparison.verdict()) {
            case SAME -> DiagnosticCheck.ok("machine-identity", comparison.describe());
            case OTHER_MACHINE -> DiagnosticCheck.fail("machine-identity", "this state directory was copied from another machine: "
                    + comparison.describe() + "; run 'castellan-agent register --force' to enrol this machine as a new device");
            case UNKNOWN -> DiagnosticCheck.warn("machine-identity", comparison.describe());
        });
    }

    private void account(List<DiagnosticCheck> checks, Optional<AgentState> state) {
        String wanted = state.map(AgentState::policy).map(p -> p.account()).orElse("");
        String shown = wanted == null || wanted.isBlank() ? "(platform default)" : wanted;
        try {
            // Without policy options: diagnose never creates an account or changes a group.
            ManagedAccount account = platform.accounts().resolve(wanted);
            List<String> warnings = platform.accounts().warnings(account);
            checks.add(warnings.isEmpty()
                    ? DiagnosticCheck.ok("managed-account", account.name() + " (" + account.id() + ") present and an administrator")
                    : DiagnosticCheck.warn("managed-account", account.name() + " (" + account.id() + ") present; warnings: "
                            + String.join(", ", warnings)));
        } catch (PlatformException e) {
            checks.add(DiagnosticCheck.fail("managed-account", shown + ": " + e.code() + ": " + e.getMessage()));
        } catch (RuntimeException e) {
            checks.add(DiagnosticCheck.fail("managed-account", shown + ": " + AgentException.describe(e)));
        }
    }

    private void journal(List<DiagnosticCheck> checks) {
        try {
            Optional<JournalEntry> entry = new RotationJournal(dir).read();
            checks.add(entry.map(e -> e.step() == JournalEntry.Step.UNVERIFIED
                    ? DiagnosticCheck.fail("rotation-journal", "rotation " + e.rotationId() + " for " + e.account()
                            + " set a password that could not be proven to work; the server reveals both the previous and the pending one")
                    : DiagnosticCheck.warn("rotation-journal", "unfinished rotation " + e.rotationId() + " for " + e.account()
                            + " at step " + e.step().wireName() + " since " + e.startedAt() + "; the next check-in resolves it"))
                    .orElse(DiagnosticCheck.ok("rotation-journal", "no unfinished rotation")));
        } catch (AgentException e) {
            checks.add(DiagnosticCheck.fail("rotation-journal", e.getMessage()));
        }
    }

    private void recoveryKeys(List<DiagnosticCheck> checks) {
        RecoveryKeySource source = safely(platform::recoveryKeys);
        if (source == null || source == RecoveryKeySource.NONE) {
            checks.add(DiagnosticCheck.skip("recovery-keys", "no disk-encryption recovery-key source on this platform"));
            return;
        }
        try {
            RecoveryKeySource.RecoveryKeyScan scan = source.scan();
            List<String> volumes = new ArrayList<>();
            for (RecoveryKey key : scan.keys()) {
                volumes.add(key.volumeLabel() == null ? key.volumeId() : key.volumeLabel());
                key.recoveryPassword().close(); // Counted, never shown.
            }
            String detail = scan.keys().size() + " recovery key(s) found" + (volumes.isEmpty() ? "" : " on " + String.join(", ", volumes))
                    + (scan.unprotectedVolumes().isEmpty() ? "" : "; encrypted without a recovery key: "
                    + String.join(", ", scan.unprotectedVolumes()));
            checks.add(scan.unprotectedVolumes().isEmpty() ? DiagnosticCheck.ok("recovery-keys", detail)
                    : DiagnosticCheck.warn("recovery-keys", detail));
        } catch (PlatformException e) {
            checks.add(DiagnosticCheck.fail("recovery-keys", e.code() + ": " + e.getMessage()));
        } catch (RuntimeException e) {
            checks.add(DiagnosticCheck.fail("recovery-keys", AgentException.describe(e)));
        }
    }

    private void service(List<DiagnosticCheck> checks) {
        try {
            String status = platform.serviceInstaller().status();
            checks.add(ServiceStatusText.check(status));
        } catch (PlatformException e) {
            checks.add(DiagnosticCheck.fail("service", e.code() + ": " + e.getMessage()));
        } catch (RuntimeException e) {
            checks.add(DiagnosticCheck.fail("service", AgentException.describe(e)));
        }
    }

    private void history(List<DiagnosticCheck> checks, AgentState state) {
        boolean failedLast = state.lastError() != null
                && (state.lastCheckIn() == null || state.lastErrorAt() == null || !state.lastErrorAt().isBefore(state.lastCheckIn()));
        if (failedLast) {
            checks.add(DiagnosticCheck.fail("last-check-in", "failed at " + state.lastErrorAt() + ": " + state.lastError()
                    + (state.lastCheckIn() == null ? "; never succeeded" : "; last success " + state.lastCheckIn())));
        } else if (state.lastCheckIn() == null) {
            checks.add(DiagnosticCheck.warn("last-check-in", "never checked in; run 'castellan-agent check-in'"));
        } else {
            checks.add(DiagnosticCheck.ok("last-check-in", "succeeded at " + state.lastCheckIn()));
        }
        checks.add(state.lastRotation() == null
                ? DiagnosticCheck.warn("last-rotation", "no rotation committed by this agent yet")
                : DiagnosticCheck.ok("last-rotation", "account " + state.lastRotationAccount() + " rotated and committed at "
                        + state.lastRotation()));
    }

    private interface Part<T> {
        T get() throws Exception;
    }

    private static <T> T safely(Part<T> part) {
        try {
            return part.get();
        } catch (Exception e) {
            return null;
        }
    }

    private static List<DiagnosticCheck> safely(java.util.function.Supplier<List<DiagnosticCheck>> part) {
        try {
            List<DiagnosticCheck> checks = part.get();
            return checks == null ? List.of() : checks;
        } catch (RuntimeException e) {
            return List.of(DiagnosticCheck.fail("platform-checks", AgentException.describe(e)));
        }
    }
}
