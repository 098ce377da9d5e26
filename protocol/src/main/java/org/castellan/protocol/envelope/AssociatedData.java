package org.castellan.protocol.envelope;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The context a ciphertext is bound to. HPKE authenticates it, so an envelope copied onto another
 * device, account or rotation fails to open instead of revealing a secret under the wrong name.
 *
 * <p>Encoded as a label followed by length-prefixed UTF-8 fields, so no two different contexts
 * share an encoding (no delimiter ambiguity).
 */
public final class AssociatedData {
    private final byte[] encoded;

    private AssociatedData(String kind, String... fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeField(out, "castellan-" + kind + "-v1");
        for (String field : fields) {
            if (field == null) {
                throw new IllegalArgumentException("associated data field is null for " + kind);
            }
            writeField(out, field);
        }
        this.encoded = out.toByteArray();
    }

    public static AssociatedData forPassword(String deviceId, String account, String rotationId) {
        return new AssociatedData("password", deviceId, account, rotationId);
    }

    public static AssociatedData forRecoveryKey(String deviceId, String volumeId, String protectorId) {
        return new AssociatedData("recovery-key", deviceId, volumeId, protectorId);
    }

    byte[] bytes() {
        return encoded.clone();
    }

    private static void writeField(ByteArrayOutputStream out, String field) {
        byte[] utf8 = field.getBytes(StandardCharsets.UTF_8);
        int n = utf8.length;
        out.write(n >>> 24);
        out.write(n >>> 16);
        out.write(n >>> 8);
        out.write(n);
        out.writeBytes(utf8);
    }
}
