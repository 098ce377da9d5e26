package org.castellan.agent.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.castellan.agent.spi.MachineIdentity;

/**
 * Digests of a {@link MachineIdentity}, as recorded in {@code agent.json} at registration, and the
 * comparison that tells a copied state directory. Only digests are stored: machine-id(5) asks that
 * the raw id not be exposed, and a digest is enough to compare.
 *
 * <p>A source that was readable both then and now and differs means another machine. A source
 * missing on one side proves nothing (DMI unreadable in a container, a source added by an upgrade),
 * so it is ignored; with no source in common the answer is {@link Verdict#UNKNOWN}.
 */
public final class MachineFingerprint {
    private static final String DOMAIN = "castellan-machine-identity-v1";

    /** How the current machine compares with the one the state was registered on. */
    public enum Verdict { SAME, OTHER_MACHINE, UNKNOWN }

    /** @param differing the sources whose values differ (empty unless {@link Verdict#OTHER_MACHINE}) */
    public record Comparison(Verdict verdict, List<String> differing, List<String> compared) {
        public String describe() {
            return switch (verdict) {
                case SAME -> "matches the registration (" + String.join(", ", compared) + ")";
                case OTHER_MACHINE -> String.join(", ", differing) + " differ from the machine this device was registered on";
                case UNKNOWN -> "no identity source in common with the registration";
            };
        }
    }

    private MachineFingerprint() {}

    public static Map<String, String> digest(MachineIdentity identity) {
        Map<String, String> digests = new TreeMap<>();
        identity.sources().forEach((source, value) -> {
            if (value != null && !value.isBlank()) {
                digests.put(source, sha256(DOMAIN + "\0" + source + "\0" + value.strip()));
            }
        });
        return Map.copyOf(digests);
    }

    public static Comparison compare(Map<String, String> recorded, Map<String, String> current) {
        List<String> compared = new ArrayList<>();
        List<String> differing = new ArrayList<>();
        for (String source : new TreeMap<>(recorded).keySet()) {
            String now = current.get(source);
            if (now == null) {
                continue;
            }
            compared.add(source);
            if (!MessageDigest.isEqual(now.getBytes(StandardCharsets.US_ASCII),
                    recorded.get(source).getBytes(StandardCharsets.US_ASCII))) {
                differing.add(source);
            }
        }
        Verdict verdict = compared.isEmpty() ? Verdict.UNKNOWN
                : differing.isEmpty() ? Verdict.SAME : Verdict.OTHER_MACHINE;
        return new Comparison(verdict, List.copyOf(differing), List.copyOf(compared));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
