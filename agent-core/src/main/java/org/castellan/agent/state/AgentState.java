package org.castellan.agent.state;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.castellan.protocol.messages.AgentPolicy;
import org.castellan.protocol.messages.VaultKey;

/**
 * What the agent remembers between runs ({@code agent.json}). No secret: the device private key
 * lives in {@code device.key}, passwords only ever on the server.
 *
 * @param server the server's base URL, {@code https://host:port}
 * @param serverFingerprint the pinned SHA-256 certificate fingerprint, or null to trust system CAs
 * @param vaultKey the vault public key from the last answer (secrets are sealed to it)
 * @param policy the policy from the last answer
 * @param lastError the last failed check-in's message (no secrets), cleared on success
 * @param recoveryKeys the recovery-key identifiers the server last acknowledged; null before the first escrow
 * @param recoveryWarnings warnings from the last recovery-key scan or escrow, reported with each check-in
 * @param machineIdentity digests of this machine's identity sources at registration
 *     ({@link org.castellan.agent.identity.MachineFingerprint}); null in state written before it existed
 */
public record AgentState(
        int version,
        String server,
        String serverFingerprint,
        String deviceId,
        VaultKey vaultKey,
        AgentPolicy policy,
        Instant registeredAt,
        Instant lastCheckIn,
        Instant lastRotation,
        String lastRotationAccount,
        String lastError,
        Instant lastErrorAt,
        RecoveryKeySet recoveryKeys,
        List<String> recoveryWarnings,
        Map<String, String> machineIdentity) {

    public static final int CURRENT_VERSION = 1;

    public AgentState {
        // Absent in state files written before recovery-key escrow existed.
        recoveryWarnings = recoveryWarnings == null ? List.of() : List.copyOf(recoveryWarnings);
        machineIdentity = machineIdentity == null ? null : Map.copyOf(machineIdentity);
    }

    public static AgentState registered(String server, String fingerprint, String deviceId,
                                        VaultKey vaultKey, AgentPolicy policy, Instant now) {
        return registered(server, fingerprint, deviceId, vaultKey, policy, now, null);
    }

    public static AgentState registered(String server, String fingerprint, String deviceId, VaultKey vaultKey,
                                        AgentPolicy policy, Instant now, Map<String, String> machineIdentity) {
        return new AgentState(CURRENT_VERSION, server, fingerprint, deviceId, vaultKey, policy, now,
                null, null, null, null, null, null, List.of(), machineIdentity);
    }

    /** Records the machine identity (state written before identities were recorded adopts the current one). */
    public AgentState withMachineIdentity(Map<String, String> identity) {
        return new AgentState(version, server, serverFingerprint, deviceId, vaultKey, policy, registeredAt,
                lastCheckIn, lastRotation, lastRotationAccount, lastError, lastErrorAt, recoveryKeys, recoveryWarnings,
                identity);
    }

    public AgentState withCheckIn(VaultKey newVaultKey, AgentPolicy newPolicy, Instant at) {
        return new AgentState(version, server, serverFingerprint, deviceId, newVaultKey, newPolicy,
                registeredAt, at, lastRotation, lastRotationAccount, null, null, recoveryKeys, recoveryWarnings,
                machineIdentity);
    }

    public AgentState withRotation(String account, Instant at) {
        return new AgentState(version, server, serverFingerprint, deviceId, vaultKey, policy,
                registeredAt, lastCheckIn, at, account, lastError, lastErrorAt, recoveryKeys, recoveryWarnings,
                machineIdentity);
    }

    public AgentState withError(String message, Instant at) {
        return new AgentState(version, server, serverFingerprint, deviceId, vaultKey, policy,
                registeredAt, lastCheckIn, lastRotation, lastRotationAccount, message, at, recoveryKeys, recoveryWarnings,
                machineIdentity);
    }

    /** After a recovery-key pass: the acknowledged set (unchanged when nothing was acknowledged) and its warnings. */
    public AgentState withRecoveryKeys(RecoveryKeySet acknowledged, List<String> warnings) {
        return new AgentState(version, server, serverFingerprint, deviceId, vaultKey, policy, registeredAt,
                lastCheckIn, lastRotation, lastRotationAccount, lastError, lastErrorAt, acknowledged, warnings,
                machineIdentity);
    }
}
