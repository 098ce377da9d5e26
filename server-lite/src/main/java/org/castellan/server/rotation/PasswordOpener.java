package org.castellan.server.rotation;

import java.util.Arrays;
import org.castellan.protocol.Secret;
import org.castellan.protocol.envelope.AssociatedData;
import org.castellan.protocol.envelope.EnvelopeException;
import org.castellan.protocol.envelope.VaultKeyPair;
import org.castellan.server.vault.EnvelopeOpens;
import org.castellan.server.vault.Vault;

/**
 * Opens a stored password envelope with the vault key it was sealed to, bound to its device, account
 * and rotation. Outside write transactions only ({@link EnvelopeOpens}).
 */
public final class PasswordOpener {
    private final Vault vault;

    public PasswordOpener(Vault vault) {
        this.vault = vault;
    }

    /** The password for a reveal; the caller wipes it. */
    public Secret open(Rotation r) {
        VaultKeyPair key = vault.key(r.envelope().keyId()).orElseThrow(() -> new IllegalStateException(
                "vault key " + r.envelope().keyId() + " of rotation " + r.id() + " is missing from the vault directory"));
        byte[] plaintext = null;
        try {
            plaintext = EnvelopeOpens.open(key, AssociatedData.forPassword(r.deviceId(), r.account(), r.id()), r.envelope());
            return Secret.fromUtf8(plaintext);
        } catch (EnvelopeException e) {
            throw new IllegalStateException("stored envelope of rotation " + r.id() + " does not open", e);
        } finally {
            if (plaintext != null) {
                Arrays.fill(plaintext, (byte) 0);
            }
        }
    }
}
