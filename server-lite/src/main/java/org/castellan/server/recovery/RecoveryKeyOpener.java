package org.castellan.server.recovery;

import java.util.Arrays;
import org.castellan.protocol.Secret;
import org.castellan.protocol.envelope.AssociatedData;
import org.castellan.protocol.envelope.Envelope;
import org.castellan.protocol.envelope.EnvelopeException;
import org.castellan.protocol.envelope.VaultKeyPair;
import org.castellan.server.http.ApiException;
import org.castellan.server.vault.EnvelopeOpens;
import org.castellan.server.vault.Vault;

/**
 * Opens recovery-key envelopes with the vault key they were sealed to, bound to their device,
 * volume and protector: an envelope copied to another device or volume does not open. Outside
 * write transactions only ({@link EnvelopeOpens}).
 */
public final class RecoveryKeyOpener {
    private final Vault vault;

    public RecoveryKeyOpener(Vault vault) {
        this.vault = vault;
    }

    /**
     * Opens an envelope an agent just sent; the caller wipes the returned bytes.
     *
     * @throws ApiException 400 {@code bad-envelope} when it does not open for this device, volume and protector
     * @throws IllegalStateException inside a write transaction ({@link EnvelopeOpens})
     */
    public byte[] testOpen(String deviceId, String volumeId, String protectorId, Envelope envelope, int index) {
        String which = "keys[" + index + "]";
        if (envelope == null) {
            throw ApiException.badRequest("bad-envelope", "field '" + which + ".envelope' is required");
        }
        VaultKeyPair key = vault.key(envelope.keyId()).orElseThrow(() ->
                ApiException.badRequest("bad-envelope", which + ": envelope is sealed to an unknown vault key"));
        EnvelopeOpens.requireOutsideWrites(); // before the catch below turns every failure into a 400
        try {
            return EnvelopeOpens.open(key, AssociatedData.forRecoveryKey(deviceId, volumeId, protectorId), envelope);
        } catch (EnvelopeException | RuntimeException e) {
            throw ApiException.badRequest("bad-envelope",
                    which + ": envelope does not open for this device, volume and protector with the vault key");
        }
    }

    /** The stored key's plaintext bytes, outside write transactions only; the caller wipes them. */
    public byte[] openBytes(RecoveryKeyRecord k) {
        VaultKeyPair key = vault.key(k.envelope().keyId()).orElseThrow(() -> new IllegalStateException(
                "vault key " + k.envelope().keyId() + " of recovery key " + k.id() + " is missing from the vault directory"));
        try {
            return EnvelopeOpens.open(key, AssociatedData.forRecoveryKey(k.deviceId(), k.volumeId(), k.protectorId()),
                    k.envelope());
        } catch (EnvelopeException e) {
            throw new IllegalStateException("stored envelope of recovery key " + k.id() + " does not open", e);
        }
    }

    /** The key for a reveal; the caller wipes it (the plaintext bytes are wiped here). */
    public Secret open(RecoveryKeyRecord k) {
        byte[] plaintext = openBytes(k);
        try {
            return Secret.fromUtf8(plaintext);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }
}
