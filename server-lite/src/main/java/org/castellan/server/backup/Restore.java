package org.castellan.server.backup;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.castellan.protocol.Json;
import org.castellan.server.audit.AuditActions;
import org.castellan.server.audit.AuditAnchorException;
import org.castellan.server.audit.AuditEvent;
import org.castellan.server.audit.AuditHead;
import org.castellan.server.audit.AuditHeadAnchor;
import org.castellan.server.audit.AuditIntake;
import org.castellan.server.audit.AuditVerifier;
import org.castellan.server.audit.SqlAuditLog;
import org.castellan.server.db.Database;
import org.castellan.server.files.SecureFiles;
import org.castellan.server.vault.Vault;
import org.castellan.server.vault.VaultKeyFiles;

/**
 * Puts a backup into an empty (or absent) data directory. Everything is first extracted into a
 * private staging directory beside the target and checked there: every chunk authenticated up to
 * the final one, the manifest's files all present, the database migrated, the audit chain intact
 * and reaching the head anchor recorded at backup time ({@code AnchorRule}, as a start would
 * check it), every vault key an envelope names present. Then a {@value AuditActions#SERVER_RESTORED}
 * entry is appended (with the anchor moved to it) and the staging directory becomes the data
 * directory. Any failure deletes the staging directory: nothing is left half-restored.
 */
public final class Restore {
    static final String EXTERNAL_DIR = "restored-config";
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");

    private final Function<String, DatabasePart> parts;
    private final Clock clock;
    private final SecureRandom random;

    /** @param parts the database part for a kind named in the file, or null when there is none */
    public Restore(Function<String, DatabasePart> parts, Clock clock, SecureRandom random) {
        this.parts = parts;
        this.clock = clock;
        this.random = random;
    }

    public record Restored(String backupId, String createdAt, String database, AuditHead head, List<Path> external) {}

    public Restored restore(Path input, byte[] passphrase, Path dataDir, String inputName) throws IOException {
        requireEmpty(dataDir);
        Path target = dataDir.toAbsolutePath().normalize();
        Path parent = target.getParent();
        Files.createDirectories(parent);
        Path staging = parent.resolve("." + target.getFileName() + ".restore-"
                + HexFormat.of().formatHex(BackupHeader.random(random, 6)));
        try (InputStream file = new BufferedInputStream(Files.newInputStream(input), 1 << 16)) {
            BackupHeader header = BackupHeader.read(file);
            DatabasePart part = parts.apply(header.database());
            if (part == null) {
                throw new BackupException("this backup's database is '" + header.database()
                        + "', which this server cannot restore (see docs/backup.md)");
            }
            try (BackupKey key = BackupKey.derive(passphrase, header.salt(), header.kdf())) {
                if (!MessageDigest.isEqual(key.check(), header.keyCheck())) {
                    throw new BackupException.WrongPassphrase();
                }
                SecureFiles.createPrivateDirectory(staging);
                SealedInputStream sealed = new SealedInputStream(file, key.aesKey(), header.noncePrefix(),
                        header.encoded());
                Extracted extracted = extract(sealed, staging, part);
                if (!extracted.complete) {
                    throw SealedInputStream.damaged("it ends before its final chunk");
                }
                Restored restored = check(staging, extracted, inputName);
                moveIntoPlace(staging, target);
                return restored;
            }
        } catch (BackupException e) {
            throw e;
        } catch (AuditAnchorException e) {
            throw new BackupException("the backup's audit log does not match its head anchor: " + e.getMessage()
                    + " (nothing was written)", e);
        } catch (java.io.EOFException e) {
            throw SealedInputStream.damaged("it is truncated");
        } finally {
            Backup.deleteTree(staging);
        }
    }

    private record Extracted(JsonNode manifest, Set<String> entries, List<Path> external, boolean complete) {}

    private Extracted extract(SealedInputStream sealed, Path staging, DatabasePart part) throws IOException {
        Path incoming = staging.resolve(".database-incoming");
        SecureFiles.createPrivateDirectory(incoming);
        TarArchiveInputStream tar = new TarArchiveInputStream(sealed);
        TarArchiveEntry first = tar.getNextEntry();
        if (first == null || !first.getName().equals(Backup.MANIFEST)) {
            throw SealedInputStream.damaged("it does not start with its manifest");
        }
        JsonNode manifest = Json.mapper().readTree(tar.readAllBytes());
        if (manifest.path("format").asInt() != 1) {
            throw new BackupException("this backup's manifest has format " + manifest.path("format") + ", unknown here");
        }
        Set<String> entries = new TreeSet<>();
        List<Path> external = new ArrayList<>();
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
            String name = entry.getName();
            if (!entry.isFile() || !SAFE_NAME.matcher(name).matches() || name.contains("..") || !entries.add(name)) {
                throw SealedInputStream.damaged("it holds an unexpected entry");
            }
            if (name.startsWith(Backup.DATA)) {
                Path to = staging.resolve(name.substring(Backup.DATA.length()));
                SecureFiles.createPrivateDirectory(to.getParent());
                copy(tar, to);
            } else if (name.startsWith(Backup.DATABASE + part.kind() + "/")) {
                String dbName = name.substring((Backup.DATABASE + part.kind() + "/").length());
                Path to = incoming.resolve(dbName.replace('/', '_'));
                copy(tar, to);
                part.restore(dbName, to, staging);
            } else if (name.startsWith(Backup.EXTERNAL)) {
                Path dir = staging.resolve(EXTERNAL_DIR);
                SecureFiles.createPrivateDirectory(dir);
                Path to = dir.resolve(name.substring(Backup.EXTERNAL.length()).replace('/', '_'));
                copy(tar, to);
                external.add(to);
            } else {
                throw SealedInputStream.damaged("it holds an unexpected entry " + name);
            }
        }
        // Read to the very end: the final chunk's tag (and the end of the file after it) proves nothing was cut off.
        byte[] rest = new byte[8192];
        while (sealed.read(rest) >= 0) {
            // tar padding
        }
        Backup.deleteTree(incoming);
        return new Extracted(manifest, entries, external, sealed.complete());
    }

    private static void copy(InputStream in, Path to) throws IOException {
        try (FileChannel channel = FileChannel.open(to, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                SecureFiles.ownerOnlyFile())) {
            OutputStream out = Channels.newOutputStream(channel);
            in.transferTo(out);
            out.flush();
            channel.force(true);
        }
    }

    private Restored check(Path staging, Extracted extracted, String inputName) throws IOException {
        JsonNode manifest = extracted.manifest();
        for (JsonNode name : manifest.path("dataFiles")) {
            if (!extracted.entries().contains(Backup.DATA + name.asText())) {
                throw SealedInputStream.damaged("the file " + name.asText() + " its manifest lists is missing");
            }
        }
        String kind = manifest.path("database").path("kind").asText();
        for (JsonNode name : manifest.path("database").path("entries")) {
            if (!extracted.entries().contains(Backup.DATABASE + kind + "/" + name.asText())) {
                throw SealedInputStream.damaged("the database entry " + name.asText() + " is missing");
            }
        }
        Vault vault = new VaultKeyFiles(staging).load();
        AuditHead head;
        try (Database db = Database.open(staging)) {
            SqlAuditLog plain = new SqlAuditLog(clock);
            AuditVerifier.Result chain = db.read(c -> new AuditVerifier(plain).verify(c));
            if (chain.firstBroken().isPresent()) {
                throw new BackupException("the backed-up audit log is BROKEN at entry " + chain.firstBroken().get().id()
                        + " (" + chain.firstBroken().get().problem() + "); nothing was written");
            }
            // The rule a start applies: the database must reach the head anchored when the backup was taken.
            AuditHeadAnchor anchor = AuditHeadAnchor.open(db, staging, random);
            db.listen(anchor);
            List<String> missing = db.read(c -> {
                List<String> ids = new ArrayList<>();
                try (PreparedStatement st = c.prepareStatement("SELECT vault_key_id FROM rotations UNION "
                        + "SELECT vault_key_id FROM recovery_keys");
                     ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        if (vault.key(rs.getString(1)).isEmpty()) {
                            ids.add(rs.getString(1));
                        }
                    }
                }
                return ids;
            });
            if (!missing.isEmpty()) {
                throw new BackupException("the backup lacks the vault keys " + missing + " that stored secrets are sealed"
                        + " to; nothing was written");
            }
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("operator", System.getProperty("user.name"));
            detail.put("backupId", manifest.path("backupId").asText());
            detail.put("backupCreatedAt", manifest.path("createdAt").asText());
            detail.put("input", inputName);
            detail.put("sourceDataDir", manifest.path("sourceDataDir").asText());
            detail.put("logEndedAt", Map.of("id", chain.end().id(), "hash", chain.end().hash(), "count",
                    chain.end().count()));
            String detailJson = Json.mapper().writeValueAsString(detail);
            SqlAuditLog audit = new SqlAuditLog(clock, anchor);
            db.write(c -> {
                AuditIntake.drainIn(c, audit); // tool events the backup caught queued
                audit.append(c, new AuditEvent("system", AuditActions.SERVER_RESTORED, "ok", null, null, null,
                        detailJson));
                return null;
            });
            head = db.read(SqlAuditLog::head);
        }
        List<Path> external = extracted.external().stream().map(p -> staging.relativize(p)).toList();
        return new Restored(manifest.path("backupId").asText(), manifest.path("createdAt").asText(), kind, head,
                external);
    }

    private static void moveIntoPlace(Path staging, Path target) throws IOException {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            return;
        }
        requireEmpty(target);
        try (Stream<Path> children = Files.list(staging)) {
            for (Path child : children.toList()) {
                Files.move(child, target.resolve(child.getFileName()), StandardCopyOption.ATOMIC_MOVE);
            }
        }
    }

    /** A restore goes only into a data directory that does not exist or is empty. */
    public static void requireEmpty(Path dataDir) throws IOException {
        if (!Files.exists(dataDir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(dataDir, LinkOption.NOFOLLOW_LINKS)) {
            throw new BackupException(dataDir + " exists and is not a directory");
        }
        try (Stream<Path> children = Files.list(dataDir)) {
            if (children.findAny().isPresent()) {
                throw new BackupException("the data directory " + dataDir + " is not empty: a restore never overwrites"
                        + " a server's data; restore into a new or empty directory");
            }
        }
    }
}
