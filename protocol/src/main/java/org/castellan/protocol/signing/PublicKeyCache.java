package org.castellan.protocol.signing;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

/**
 * Device public keys already decoded, so a signed request does not decode its device's key again.
 *
 * <p>Why: every agent request is verified against the device's stored key, and decoding it
 * (base64, then the point decompression BouncyCastle's {@link Ed25519PublicKeyParameters} does in
 * its constructor, a field square root) is work repeated for a key that rarely changes. The parsed
 * parameters are immutable and safe to share between threads.
 *
 * <p>Keyed by the key's stored text, never by device id: the entry is a pure function of its key,
 * so a device that is re-keyed or registered again is looked up under its new text and can never be
 * checked against its old key. Bounded, least recently used out first; keys that do not parse are
 * not kept.
 */
public final class PublicKeyCache {
    /** Enough for a large fleet's active devices; an entry is a few hundred bytes. */
    public static final int DEFAULT_CAPACITY = 20_000;

    private final int capacity;
    private final LinkedHashMap<String, Ed25519PublicKeyParameters> keys;

    public PublicKeyCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
        this.keys = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Ed25519PublicKeyParameters> eldest) {
                return size() > PublicKeyCache.this.capacity;
            }
        };
    }

    /** The parsed key, or null when the text is not a base64 Ed25519 public key. */
    public Ed25519PublicKeyParameters parsed(String publicKeyBase64) {
        if (publicKeyBase64 == null) {
            return null;
        }
        synchronized (keys) {
            Ed25519PublicKeyParameters known = keys.get(publicKeyBase64);
            if (known != null) {
                return known;
            }
        }
        // Parsed outside the lock: two threads may parse the same key once each, with equal results.
        Ed25519PublicKeyParameters parsed = parse(publicKeyBase64);
        if (parsed != null) {
            synchronized (keys) {
                keys.put(publicKeyBase64, parsed);
            }
        }
        return parsed;
    }

    /** How many keys are held now (never more than the capacity). */
    public int size() {
        synchronized (keys) {
            return keys.size();
        }
    }

    public int capacity() {
        return capacity;
    }

    static Ed25519PublicKeyParameters parse(String publicKeyBase64) {
        if (publicKeyBase64 == null) {
            return null;
        }
        try {
            byte[] raw = Base64.getDecoder().decode(publicKeyBase64);
            if (raw.length != Ed25519PublicKeyParameters.KEY_SIZE) {
                return null;
            }
            return new Ed25519PublicKeyParameters(raw, 0);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
