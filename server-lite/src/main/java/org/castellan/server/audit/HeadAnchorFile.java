package org.castellan.server.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.castellan.server.files.SecureFiles;

/**
 * {@code DIR/audit/head}: the audit chain's end, {@code (id, hash, count)}, authenticated with
 * HMAC-SHA256 under {@code DIR/audit/anchor.key} (32 random bytes). Both files live outside the
 * database, so rewriting the database alone cannot move the recorded end, and rewriting the head
 * needs the key. Files 0600, directory 0700, created with those modes; the head is replaced
 * atomically (temporary file, fsync, rename, directory fsync) so a crash leaves the old or the new
 * head, never a torn one.
 */
public final class HeadAnchorFile {
    public static final String DIRECTORY = "audit";
    public static final String HEAD = "head";
    public static final String KEY = "anchor.key";
    private static final int KEY_BYTES = 32;
    private static final String MAC_LABEL = "castellan-audit-head-v1";
    private static final Pattern FORMAT = Pattern.compile(
            "castellan-audit-head v1\nid ([0-9]{1,18})\nhash ([0-9a-f]{64})\ncount ([0-9]{1,18})\nhmac ([0-9a-f]{64})\n");
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private final Path dir;
    private final Path head;
    private final Path keyFile;
    private SecretKeySpec key;

    public HeadAnchorFile(Path dataDir) {
        this.dir = dataDir.resolve(DIRECTORY);
        this.head = dir.resolve(HEAD);
        this.keyFile = dir.resolve(KEY);
    }

    public Path headPath() {
        return head;
    }

    public Path keyPath() {
        return keyFile;
    }

    public boolean headExists() {
        return Files.exists(head);
    }

    public boolean keyExists() {
        return Files.exists(keyFile);
    }

    /** Creates the directory (0700) and a fresh key (0600); fails if a key exists already. */
    public void createKey(SecureRandom random) throws IOException {
        SecureFiles.createPrivateDirectory(dir);
        byte[] bytes = new byte[KEY_BYTES];
        random.nextBytes(bytes);
        writeNewDurably(keyFile, bytes);
        fsyncDirectory();
        key = new SecretKeySpec(bytes, "HmacSHA256");
    }

    /** What there is of the anchor material, for {@link AnchorRule}. */
    public AnchorRule.Found find() {
        boolean hasHead = headExists();
        boolean hasKey = keyExists();
        if (!hasHead && !hasKey) {
            return new AnchorRule.Found.Nothing();
        }
        if (!hasHead) {
            return new AnchorRule.Found.Unusable("the audit head anchor " + head + " is missing but its key " + keyFile
                    + " exists");
        }
        try {
            return new AnchorRule.Found.Head(read().orElseThrow());
        } catch (AuditAnchorException e) {
            return new AnchorRule.Found.Unusable(e.getMessage());
        } catch (IOException e) {
            return new AnchorRule.Found.Unusable("the audit head anchor cannot be read: " + e.getMessage());
        }
    }

    /** The recorded head, empty when there is no head file; throws when it is unreadable, malformed or its HMAC is wrong. */
    public Optional<AuditHead> read() throws IOException {
        if (!headExists()) {
            return Optional.empty();
        }
        String text;
        try {
            text = Files.readString(head, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AuditAnchorException("the head anchor " + head + " cannot be read (" + e.getClass().getSimpleName()
                    + ": " + e.getMessage() + ")", e);
        }
        Matcher m = FORMAT.matcher(text);
        if (!m.matches()) {
            throw new AuditAnchorException("the head anchor " + head + " is malformed (corrupted or forged)");
        }
        AuditHead recorded = new AuditHead(Long.parseLong(m.group(1)), m.group(2), Long.parseLong(m.group(3)));
        byte[] expected = mac(recorded);
        if (!MessageDigest.isEqual(expected, HexFormat.of().parseHex(m.group(4)))) {
            throw new AuditAnchorException("the head anchor " + head + " fails its HMAC check (forged or corrupted, or "
                    + keyFile + " was replaced)");
        }
        return Optional.of(recorded);
    }

    /** Whether the key can be read and has the right size. */
    public boolean keyUsable() {
        try {
            key();
            return true;
        } catch (AuditAnchorException | IOException e) {
            return false;
        }
    }

    /** Replaces the head atomically and durably. */
    public void write(AuditHead newHead) throws IOException {
        String body = "castellan-audit-head v1\nid " + newHead.id() + "\nhash " + newHead.hash() + "\ncount "
                + newHead.count() + "\nhmac " + HexFormat.of().formatHex(mac(newHead)) + "\n";
        Path tmp = dir.resolve(HEAD + ".tmp");
        Files.deleteIfExists(tmp);
        writeNewDurably(tmp, body.getBytes(StandardCharsets.UTF_8));
        Files.move(tmp, head, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        fsyncDirectory();
    }

    /** The HMAC of {@code h} under the anchor key, hex (the PostgreSQL chain head row carries it too). */
    public String macHex(AuditHead h) throws IOException {
        return HexFormat.of().formatHex(mac(h));
    }

    /** Whether {@code hmacHex} is the HMAC of {@code h} under the anchor key (constant-time compare). */
    public boolean macMatches(AuditHead h, String hmacHex) throws IOException {
        byte[] given;
        try {
            given = HexFormat.of().parseHex(hmacHex);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(mac(h), given);
    }

    private byte[] mac(AuditHead h) throws IOException {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key());
            String message = MAC_LABEL + "\n" + h.id() + "\n" + h.hash() + "\n" + h.count() + "\n";
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 missing from the JDK", e);
        }
    }

    private SecretKeySpec key() throws IOException {
        if (key == null) {
            if (!keyExists()) {
                throw new AuditAnchorException("the head anchor key " + keyFile + " is missing, so the head anchor "
                        + head + " cannot be checked or written");
            }
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(keyFile);
            } catch (IOException e) {
                throw new AuditAnchorException("the head anchor key " + keyFile + " cannot be read ("
                        + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
            }
            if (bytes.length != KEY_BYTES) {
                throw new AuditAnchorException("the head anchor key " + keyFile + " is not " + KEY_BYTES + " bytes");
            }
            key = new SecretKeySpec(bytes, "HmacSHA256");
        }
        return key;
    }

    private static void writeNewDurably(Path file, byte[] content) throws IOException {
        Set<StandardOpenOption> options = EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try (FileChannel channel = POSIX
                ? FileChannel.open(file, options, SecureFiles.ownerOnlyFile())
                : FileChannel.open(file, options)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }

    /** Makes the rename itself durable. Windows cannot open a directory as a channel; NTFS journals renames. */
    private void fsyncDirectory() throws IOException {
        if (!POSIX) {
            return;
        }
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
