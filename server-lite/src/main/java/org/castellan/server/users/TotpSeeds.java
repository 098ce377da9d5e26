package org.castellan.server.users;

import java.util.Arrays;
import org.castellan.protocol.Json;
import org.castellan.protocol.envelope.AssociatedData;
import org.castellan.protocol.envelope.Envelope;
import org.castellan.protocol.envelope.EnvelopeException;
import org.castellan.protocol.envelope.SecretEnvelope;
import org.castellan.protocol.envelope.VaultKeyPair;
import org.castellan.server.vault.EnvelopeOpens;
import org.castellan.server.vault.Vault;

/**
 * TOTP seeds are sealed to the vault key like every other secret (promise 2: the database holds
 * ciphertext only), bound to the user: a seed copied onto another user's row does not open.
 * The binding reuses the password context with a device id no device has ({@code user:ID}).
 */
public final class TotpSeeds {
    private final Vault vault;

    public TotpSeeds(Vault vault) {
        this.vault = vault;
    }

    private static AssociatedData context(String userId) {
        return AssociatedData.forPassword("user:" + userId, "totp-seed", "v1");
    }

    public String seal(String userId, byte[] seed) {
        try {
            return Json.mapper().writeValueAsString(SecretEnvelope.seal(vault.current().publicKey(), context(userId), seed));
        } catch (Exception e) {
            throw new IllegalStateException("cannot seal the TOTP seed of user " + userId, e);
        }
    }

    /** The seed, outside write transactions only ({@link EnvelopeOpens}); the caller wipes it. */
    public byte[] open(String userId, String sealed) {
        try {
            Envelope envelope = Json.mapper().readValue(sealed, Envelope.class);
            VaultKeyPair key = vault.key(envelope.keyId()).orElseThrow(() -> new IllegalStateException(
                    "vault key " + envelope.keyId() + " of a TOTP seed is missing from the vault directory"));
            return EnvelopeOpens.open(key, context(userId), envelope);
        } catch (EnvelopeException | java.io.IOException e) {
            throw new IllegalStateException("the stored TOTP seed of user " + userId + " does not open", e);
        }
    }

    public static void wipe(byte[] seed) {
        if (seed != null) {
            Arrays.fill(seed, (byte) 0);
        }
    }
}
