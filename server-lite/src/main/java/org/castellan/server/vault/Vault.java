package org.castellan.server.vault;

import java.util.Map;
import java.util.Optional;
import org.castellan.protocol.envelope.VaultKeyPair;

/**
 * The vault key pairs the server can open envelopes with. New escrows are sealed to
 * {@link #current()}; older keys stay so envelopes sealed to them still open after a rotation.
 */
public final class Vault {
    private final Map<String, VaultKeyPair> keys;
    private final VaultKeyPair current;

    public Vault(Map<String, VaultKeyPair> keys, String currentKeyId) {
        this.keys = Map.copyOf(keys);
        this.current = keys.get(currentKeyId);
        if (current == null) {
            throw new IllegalStateException("current vault key " + currentKeyId + " has no key file");
        }
    }

    public VaultKeyPair current() {
        return current;
    }

    public Optional<VaultKeyPair> key(String keyId) {
        return Optional.ofNullable(keyId == null ? null : keys.get(keyId));
    }

    /** Every key id, current or not. */
    public java.util.SortedSet<String> keyIds() {
        return new java.util.TreeSet<>(keys.keySet());
    }

    @Override
    public String toString() {
        return "Vault[current=" + current.keyId() + ", keys=" + keys.keySet() + "]";
    }
}
