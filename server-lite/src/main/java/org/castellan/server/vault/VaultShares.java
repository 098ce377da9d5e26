package org.castellan.server.vault;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.threshold.ShamirSecretSplitter;
import org.bouncycastle.crypto.threshold.ShamirSplitSecret;
import org.bouncycastle.crypto.threshold.ShamirSplitSecretShare;
import org.castellan.protocol.envelope.VaultKeyPair;

/**
 * K-of-N recovery shares of the vault private keys (all of them, and which one is current), by
 * BouncyCastle's Shamir secret sharing over GF(2^8) ({@link ShamirSecretSplitter}). Any K shares
 * rebuild the keys; fewer reveal nothing about them.
 *
 * <p>A share is one line, self-describing:
 * {@code castellan-vault-share:v1:KEYSET:I-of-N:kK:DATA}, where DATA (base64url) holds the same
 * set id, key set id, K, N and I, the Shamir share, and the set's commitment: the SHA-256 of every
 * share of the set, {@code H_j = SHA-256(label || set || keyset || K || N || j || share_j)}. Each
 * share carries all N hashes, so a share whose content was changed no longer matches the hash the
 * other shares carry for it, and a changed commitment no longer matches the other shares'
 * commitments: with K >= 2 any change to any share is refused before the secret is rebuilt. The
 * rebuilt keys are checked again (their digest inside the secret, and the key set id, which is
 * derived from the public keys).
 */
public final class VaultShares {
    public static final int MAX_SHARES = 16;
    static final String PREFIX = "castellan-vault-share:v1:";
    private static final Pattern SHARE = Pattern.compile(
            "castellan-vault-share:v1:(ks-[0-9a-f]{16}):([0-9]{1,2})-of-([0-9]{1,2}):k([0-9]{1,2}):([A-Za-z0-9_-]+)");
    private static final byte[] HASH_LABEL = "castellan-vault-share v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MAGIC = {'C', 'V', 'S', 1};
    private static final String PAYLOAD_MAGIC = "castellan-vault-keys v1\n";

    private VaultShares() {}

    /** Refused shares or a secret that does not rebuild; the message names the problem and no secret. */
    public static final class ShareException extends Exception {
        public ShareException(String message) {
            super(message);
        }
    }

    public record Split(String keysetId, String setId, int k, int n, List<String> shares) {}

    public record Recovered(Vault vault, String keysetId, String setId, int k, List<Integer> used) {}

    public static Split split(Vault vault, int k, int n, SecureRandom random) {
        if (k < 2 || n < k || n > MAX_SHARES) {
            throw new IllegalArgumentException("shares must be K-of-N with 2 <= K <= N <= " + MAX_SHARES);
        }
        byte[] secret = payload(vault);
        try {
            ShamirSplitSecretShare[] parts = new ShamirSecretSplitter(ShamirSecretSplitter.Algorithm.AES,
                    ShamirSecretSplitter.Mode.Table, secret.length, random).resplit(secret, k, n).getSecretShares();
            byte[] setId = new byte[16];
            random.nextBytes(setId);
            String keyset = keysetId(vault);
            byte[][] data = new byte[n][];
            byte[][] hashes = new byte[n][];
            for (int i = 0; i < n; i++) {
                data[i] = parts[i].getEncoded(); // BouncyCastle numbers the shares 1..n in this order
                hashes[i] = shareHash(setId, keyset, k, n, i + 1, data[i]);
            }
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                lines.add(encode(setId, keyset, k, n, i + 1, data[i], hashes));
                Arrays.fill(data[i], (byte) 0);
            }
            return new Split(keyset, HexFormat.of().formatHex(setId), k, n, lines);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a share", e);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /** Rebuilds the vault from the shares found in {@code text} (other lines are ignored). */
    public static Recovered recover(String text) throws ShareException {
        Map<Integer, Share> shares = new TreeMap<>();
        for (String line : text.split("\\R")) {
            String trimmed = line.strip();
            if (!trimmed.contains("castellan-vault-share:")) {
                continue;
            }
            Matcher m = SHARE.matcher(trimmed);
            int start = trimmed.indexOf("castellan-vault-share:");
            if (!m.find() || m.start() != start || m.end() != trimmed.length()) {
                throw new ShareException("a share line is malformed (cut short, wrapped or changed): "
                        + describeLine(trimmed));
            }
            Share share = decode(m);
            Share same = shares.get(share.index);
            if (same != null && !Arrays.equals(same.raw, share.raw)) {
                throw new ShareException("two different shares numbered " + share.index + " were given: one of them"
                        + " was changed");
            }
            shares.put(share.index, share);
        }
        if (shares.isEmpty()) {
            throw new ShareException("no shares on standard input (lines starting with " + PREFIX + ")");
        }
        Share first = shares.values().iterator().next();
        for (Share s : shares.values()) {
            if (!Arrays.equals(s.setId, first.setId) || !s.keyset.equals(first.keyset)) {
                throw new ShareException("the shares come from different splits (set " + hex(first.setId) + " and set "
                        + hex(s.setId) + "): give shares of one split only");
            }
        }
        List<Integer> changed = new ArrayList<>();
        for (Share s : shares.values()) {
            byte[] h = shareHash(s.setId, s.keyset, s.k, s.n, s.index, s.data);
            for (Share other : shares.values()) {
                if (other.n != s.n || !MessageDigest.isEqual(other.hashes[s.index - 1], h)) {
                    changed.add(s.index);
                    break;
                }
            }
        }
        if (changed.isEmpty()) {
            // Every share must carry the same commitment (the hashes of shares not given included).
            Map<String, List<Integer>> byCommitment = new LinkedHashMap<>();
            for (Share s : shares.values()) {
                MessageDigest sha = sha256();
                for (byte[] h : s.hashes) {
                    sha.update(h);
                }
                byCommitment.computeIfAbsent(hex(sha.digest()), x -> new ArrayList<>()).add(s.index);
            }
            if (byCommitment.size() > 1) {
                List<List<Integer>> groups = new ArrayList<>(byCommitment.values());
                groups.sort((a, b) -> b.size() - a.size());
                if (groups.get(0).size() > groups.get(1).size()) {
                    groups.subList(1, groups.size()).forEach(changed::addAll);
                } else {
                    throw new ShareException("shares " + new ArrayList<>(shares.keySet()) + " of set " + hex(first.setId)
                            + " carry different commitments: one of them was changed; nothing was written");
                }
            }
        }
        if (!changed.isEmpty()) {
            java.util.Collections.sort(changed);
            throw new ShareException("share" + (changed.size() == 1 ? " " : "s ") + changed + " of set " + hex(first.setId)
                    + (changed.size() == 1 ? " does" : " do") + " not match the commitment the set carries: changed or "
                    + "damaged; nothing was written");
        }
        int k = first.k;
        if (shares.size() < k) {
            throw new ShareException(shares.size() + " share" + (shares.size() == 1 ? "" : "s") + " of set "
                    + hex(first.setId) + " given, but " + k + " are needed (" + k + "-of-" + first.n
                    + "); nothing was written");
        }
        List<Share> use = new ArrayList<>(shares.values()).subList(0, k);
        ShamirSplitSecretShare[] parts = use.stream()
                .map(s -> new ShamirSplitSecretShare(s.data.clone(), s.index)).toArray(ShamirSplitSecretShare[]::new);
        byte[] secret;
        try {
            secret = new ShamirSplitSecret(ShamirSecretSplitter.Algorithm.AES, ShamirSecretSplitter.Mode.Table, parts)
                    .getSecret();
        } catch (IOException e) {
            throw new ShareException("the shares do not combine: " + e.getMessage());
        }
        try {
            Vault vault = parsePayload(secret);
            if (!keysetId(vault).equals(first.keyset)) {
                throw new ShareException("the rebuilt keys are not key set " + first.keyset + "; nothing was written");
            }
            return new Recovered(vault, first.keyset, hex(first.setId), k, use.stream().map(s -> s.index).toList());
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /** Names the vault's keys by their public halves: the same keys always give the same id. */
    public static String keysetId(Vault vault) {
        StringBuilder text = new StringBuilder("castellan-vault-keyset v1\n");
        for (String id : vault.keyIds()) {
            text.append(id).append(' ')
                    .append(Base64.getEncoder().encodeToString(vault.key(id).orElseThrow().publicKeyBytes())).append('\n');
        }
        text.append("current ").append(vault.current().keyId()).append('\n');
        return "ks-" + HexFormat.of().formatHex(sha256(text.toString().getBytes(StandardCharsets.US_ASCII)), 0, 8);
    }

    private record Share(byte[] raw, byte[] setId, String keyset, int k, int n, int index, byte[] data, byte[][] hashes) {}

    private static String encode(byte[] setId, String keyset, int k, int n, int index, byte[] data, byte[][] hashes) {
        ByteBuffer b = ByteBuffer.allocate(4 + 16 + 8 + 3 + 2 + data.length + 32 * n);
        b.put(MAGIC).put(setId).put(HexFormat.of().parseHex(keyset.substring(3)));
        b.put((byte) k).put((byte) n).put((byte) index).putShort((short) data.length).put(data);
        for (byte[] h : hashes) {
            b.put(h);
        }
        return PREFIX + keyset + ":" + index + "-of-" + n + ":k" + k + ":"
                + Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    private static Share decode(Matcher m) throws ShareException {
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(m.group(5));
        } catch (IllegalArgumentException e) {
            throw new ShareException("share " + m.group(2) + " is not valid base64url (changed or cut)");
        }
        ByteBuffer b = ByteBuffer.wrap(raw);
        try {
            byte[] magic = new byte[4];
            b.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new ShareException("share " + m.group(2) + " is not a version 1 vault share");
            }
            byte[] setId = new byte[16];
            b.get(setId);
            byte[] keyset = new byte[8];
            b.get(keyset);
            int k = b.get() & 0xff;
            int n = b.get() & 0xff;
            int index = b.get() & 0xff;
            int length = b.getShort() & 0xffff;
            if (k < 2 || n < k || n > MAX_SHARES || index < 1 || index > n || b.remaining() != length + 32 * n) {
                throw new ShareException("share " + m.group(2) + " is malformed (changed or cut)");
            }
            byte[] data = new byte[length];
            b.get(data);
            byte[][] hashes = new byte[n][32];
            for (byte[] h : hashes) {
                b.get(h);
            }
            String keysetId = "ks-" + HexFormat.of().formatHex(keyset);
            if (!keysetId.equals(m.group(1)) || index != Integer.parseInt(m.group(2)) || n != Integer.parseInt(m.group(3))
                    || k != Integer.parseInt(m.group(4))) {
                throw new ShareException("share " + m.group(2) + "'s label does not match its content (changed)");
            }
            return new Share(raw, setId, keysetId, k, n, index, data, hashes);
        } catch (java.nio.BufferUnderflowException e) {
            throw new ShareException("share " + m.group(2) + " is cut short");
        }
    }

    private static byte[] shareHash(byte[] setId, String keyset, int k, int n, int index, byte[] data) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(HASH_LABEL);
            sha.update(setId);
            sha.update(keyset.getBytes(StandardCharsets.US_ASCII));
            sha.update(new byte[] {(byte) k, (byte) n, (byte) index, (byte) (data.length >>> 8), (byte) data.length});
            sha.update(data);
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code magic, current ID, key ID BASE64 ..., sha256 HEX} as text; the digest covers the lines before it. */
    private static byte[] payload(Vault vault) {
        StringBuilder text = new StringBuilder(PAYLOAD_MAGIC).append("current ").append(vault.current().keyId()).append('\n');
        for (String id : vault.keyIds()) {
            byte[] raw = vault.key(id).orElseThrow().privateKeyBytes();
            text.append("key ").append(id).append(' ').append(Base64.getEncoder().encodeToString(raw)).append('\n');
            Arrays.fill(raw, (byte) 0);
        }
        byte[] body = text.toString().getBytes(StandardCharsets.US_ASCII);
        String digest = "sha256 " + HexFormat.of().formatHex(sha256(body)) + "\n";
        byte[] out = Arrays.copyOf(body, body.length + digest.length());
        System.arraycopy(digest.getBytes(StandardCharsets.US_ASCII), 0, out, body.length, digest.length());
        Arrays.fill(body, (byte) 0);
        return out;
    }

    private static Vault parsePayload(byte[] secret) throws ShareException {
        String text = new String(secret, StandardCharsets.US_ASCII);
        int digestAt = text.lastIndexOf("sha256 ");
        if (!text.startsWith(PAYLOAD_MAGIC) || digestAt < 0 || !text.endsWith("\n")) {
            throw new ShareException("the shares do not rebuild a vault key set (wrong or changed shares); nothing was written");
        }
        byte[] expected = sha256(Arrays.copyOf(secret, digestAt));
        String given = text.substring(digestAt + 7, text.length() - 1);
        if (!given.matches("[0-9a-f]{64}") || !MessageDigest.isEqual(expected, HexFormat.of().parseHex(given))) {
            throw new ShareException("the rebuilt vault keys fail their digest (wrong or changed shares); nothing was written");
        }
        String current = null;
        Map<String, VaultKeyPair> keys = new LinkedHashMap<>();
        for (String line : text.substring(PAYLOAD_MAGIC.length(), digestAt).split("\n")) {
            String[] f = line.split(" ");
            if (f.length == 2 && f[0].equals("current")) {
                current = f[1];
            } else if (f.length == 3 && f[0].equals("key")) {
                byte[] raw = Base64.getDecoder().decode(f[2]);
                keys.put(f[1], VaultKeyPair.fromPrivateKey(f[1], raw));
                Arrays.fill(raw, (byte) 0);
            } else {
                throw new ShareException("the rebuilt vault key set is malformed; nothing was written");
            }
        }
        if (current == null || !keys.containsKey(current)) {
            throw new ShareException("the rebuilt vault key set names no current key; nothing was written");
        }
        return new Vault(keys, current);
    }

    private static String describeLine(String line) {
        int colon = line.indexOf(":k");
        return colon > 0 && colon < 80 ? line.substring(0, colon) + "…" : "(unlabelled)";
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    private static byte[] sha256(byte[] bytes) {
        return sha256().digest(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
