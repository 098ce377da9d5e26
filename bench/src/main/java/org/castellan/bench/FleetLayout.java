package org.castellan.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import org.castellan.protocol.signing.DeviceKeyPair;

/**
 * The seeded fleet, derived from its index: device {@code i} has the i-th smallest id (so the
 * admin's 5,000th page of 100 starts after device 499,999), a host name ({@code web-NNNNNNN} for
 * every tenth device, {@code host-NNNNNNN} otherwise, so a {@code web-*} group holds a tenth of the
 * fleet) and its own Ed25519 key, whose 32-byte private seed is SHA-256 over the fleet's secret
 * seed and the index. Deriving keys makes seeding fast and lets the load phase sign for any seeded
 * device without storing a million private keys; it is a benchmark's shortcut (whoever holds the
 * fleet seed can sign as every seeded device), never what an agent does.
 */
final class FleetLayout {
    static final String ACCOUNT = "root";

    private final byte[] seed;

    FleetLayout(byte[] seed) {
        this.seed = seed.clone();
    }

    static String id(long i) {
        return String.format(Locale.ROOT, "%08x-0000-4000-8000-%012x", i, i);
    }

    static String hostname(long i) {
        return String.format(Locale.ROOT, i % 10 == 0 ? "web-%07d" : "host-%07d", i);
    }

    static String os(long i) {
        return i % 10 == 0 ? "linux" : switch ((int) (i % 3)) {
            case 0 -> "linux";
            case 1 -> "windows";
            default -> "macos";
        };
    }

    /** The id of rotation {@code j} (0 = oldest) of device {@code i}: unique, and apart from random UUIDs. */
    static String rotationId(long i, int j) {
        return String.format(Locale.ROOT, "%08x-%04x-4000-9000-%012x", i, j, i);
    }

    DeviceKeyPair key(long i) {
        byte[] material = sha256(seed, ByteBuffer.allocate(8).putLong(i).array(), "device-key");
        try {
            return DeviceKeyPair.fromPrivateKey(material);
        } finally {
            Arrays.fill(material, (byte) 0);
        }
    }

    /** The password seeded as device {@code i}'s current one (a real, decryptable envelope only for "real" devices). */
    String seededPassword(long i) {
        return "Seed-" + HexFormat.of().formatHex(sha256(seed, ByteBuffer.allocate(8).putLong(i).array(), "password"), 0, 12);
    }

    private static byte[] sha256(byte[] seed, byte[] index, String purpose) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update("castellan-fleet-simulator/".getBytes(StandardCharsets.US_ASCII));
            d.update(purpose.getBytes(StandardCharsets.US_ASCII));
            d.update(seed);
            d.update(index);
            return d.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
