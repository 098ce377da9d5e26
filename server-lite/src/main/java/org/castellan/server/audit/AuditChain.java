package org.castellan.server.audit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The hash chain: each row's hash is SHA-256 over the previous row's hash and the row's own
 * content (id included, so rows cannot be swapped). Fields are length-prefixed, so no two
 * different rows share an encoding. Editing, deleting or reordering any row breaks the chain
 * from that row on.
 */
public final class AuditChain {
    public static final String GENESIS = "0".repeat(64);

    private AuditChain() {}

    public static String hash(String prevHash, long id, Instant at, AuditEvent e) {
        MessageDigest digest = sha256();
        field(digest, "castellan-audit-v1");
        field(digest, prevHash);
        field(digest, Long.toString(id));
        field(digest, Long.toString(at.toEpochMilli()));
        field(digest, e.principal());
        field(digest, e.action());
        field(digest, e.outcome());
        field(digest, e.deviceId());
        field(digest, e.reason());
        field(digest, e.clientAddress());
        field(digest, e.detail());
        return HexFormat.of().formatHex(digest.digest());
    }

    public static String hash(AuditEntry entry) {
        return hash(entry.prevHash(), entry.id(), entry.at(), new AuditEvent(entry.principal(), entry.action(),
                entry.outcome(), entry.deviceId(), entry.reason(), entry.clientAddress(), entry.detail()));
    }

    private static void field(MessageDigest digest, String value) {
        if (value == null) {
            digest.update(ByteBuffer.allocate(4).putInt(-1).array());
            return;
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        digest.update(ByteBuffer.allocate(4).putInt(utf8.length).array());
        digest.update(utf8);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
