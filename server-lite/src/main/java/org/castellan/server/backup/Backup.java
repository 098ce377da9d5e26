package org.castellan.server.backup;

import java.io.BufferedOutputStream;
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
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.castellan.protocol.Json;
import org.castellan.server.audit.HeadAnchorFile;
import org.castellan.server.db.Database;
import org.castellan.server.files.SecureFiles;
import org.castellan.server.users.Argon2Params;

/**
 * Writes a backup of a data directory while the server may be serving it: the database through
 * its {@link DatabasePart}, and every other file of the directory (vault keys, audit anchor and
 * its key, TLS key store, bootstrap token), plus files from outside it the operator names (the
 * config file), all inside one sealed stream ({@link SealedOutputStream}) under a key derived
 * from the recovery passphrase. The order makes the copy consistent: the audit head anchor is
 * read before the database snapshot (the anchor is written after each commit, so the snapshot
 * reaches at least that head), the vault keys after it (keys are only ever added, so every key
 * an envelope in the snapshot names is there). The file is written 0600 under a temporary name
 * and renamed into place only when complete.
 */
public final class Backup {
    /** Where each part sits inside the archive. */
    static final String MANIFEST = "manifest.json";
    static final String DATA = "data/";
    static final String DATABASE = "database/";
    static final String EXTERNAL = "external/";

    private final Path dataDir;
    private final DatabasePart database;
    private final Clock clock;
    private final SecureRandom random;
    private final Argon2Params kdf;

    public Backup(Path dataDir, DatabasePart database, Clock clock, SecureRandom random, Argon2Params kdf) {
        this.dataDir = dataDir;
        this.database = database;
        this.clock = clock;
        this.random = random;
        this.kdf = kdf;
    }

    public Backup(Path dataDir, DatabasePart database, Clock clock, SecureRandom random) {
        this(dataDir, database, clock, random, BackupKey.DEFAULT);
    }

    /** What was written, for the operator and the audit entry. */
    public record Written(String backupId, Instant createdAt, String database, List<String> dataFiles,
                          List<String> vaultKeys, String auditHead, long bytes) {}

    /** An outside file to include (the config file), restored beside the data under {@code restored-config/}. */
    public record External(Path path) {}

    /**
     * @param beforePublish runs once the file is complete but before it is renamed into place (the
     *        audit record): if it throws, the file is deleted and the backup fails
     */
    public Written write(Path output, byte[] passphrase, List<External> externals, BeforePublish beforePublish)
            throws IOException {
        if (Files.exists(output, LinkOption.NOFOLLOW_LINKS)) {
            throw new BackupException("the output " + output + " exists already; choose a new file name");
        }
        Path parent = output.toAbsolutePath().normalize().getParent();
        if (parent.startsWith(dataDir.toAbsolutePath().normalize())) {
            throw new BackupException("the output " + output + " is inside the data directory; write it elsewhere");
        }
        if (!Files.isDirectory(parent)) {
            throw new BackupException("the output's directory " + parent + " does not exist");
        }
        String backupId = "bk-" + HexFormat.of().formatHex(BackupHeader.random(random, 8));
        Instant createdAt = Instant.ofEpochMilli(clock.millis());
        Path work = parent.resolve("." + output.getFileName() + "." + backupId + ".work");
        Path partial = parent.resolve("." + output.getFileName() + "." + backupId + ".partial");
        SecureFiles.createPrivateDirectory(work);
        try {
            // 1. The anchor first: never ahead of the snapshot taken next.
            Path headFile = dataDir.resolve(HeadAnchorFile.DIRECTORY).resolve(HeadAnchorFile.HEAD);
            byte[] head = Files.exists(headFile) ? Files.readAllBytes(headFile) : null;
            // 2. The database.
            List<Path> dbFiles = database.snapshot(work);
            // 3. Every other file of the data directory, vault keys last-read so none is missing.
            Map<String, byte[]> files = dataFiles();
            if (head != null) {
                files.put(HeadAnchorFile.DIRECTORY + "/" + HeadAnchorFile.HEAD, head);
            }
            List<String> vaultKeys = files.keySet().stream().filter(n -> n.startsWith("vault/") && n.endsWith(".key"))
                    .map(n -> n.substring("vault/".length(), n.length() - ".key".length())).sorted().toList();
            if (vaultKeys.isEmpty()) {
                throw new BackupException("no vault keys in " + dataDir.resolve("vault")
                        + ": a backup without them could not open a single password");
            }
            Map<String, Object> manifest = new LinkedHashMap<>();
            manifest.put("format", 1);
            manifest.put("backupId", backupId);
            manifest.put("createdAt", createdAt.toString());
            manifest.put("sourceDataDir", dataDir.toAbsolutePath().toString());
            manifest.put("database", Map.of("kind", database.kind(),
                    "entries", dbFiles.stream().map(Path::toString).toList()));
            manifest.put("dataFiles", new ArrayList<>(files.keySet()));
            manifest.put("vaultKeys", vaultKeys);
            List<Map<String, String>> outside = new ArrayList<>();
            for (int i = 0; i < externals.size(); i++) {
                Path path = externals.get(i).path().toAbsolutePath();
                outside.add(Map.of("entry", i + "-" + path.getFileName(), "originalPath", path.toString()));
            }
            manifest.put("external", outside);
            String auditHead = head == null ? null : new String(head, java.nio.charset.StandardCharsets.UTF_8)
                    .lines().filter(l -> l.startsWith("id ")).findFirst().map(l -> "entry " + l.substring(3)).orElse(null);

            byte[] salt = BackupHeader.random(random, 16);
            byte[] prefix = BackupHeader.random(random, 7);
            try (BackupKey key = BackupKey.derive(passphrase, salt, kdf);
                 FileChannel channel = FileChannel.open(partial, EnumSet.of(StandardOpenOption.CREATE_NEW,
                         StandardOpenOption.WRITE), SecureFiles.ownerOnlyFile())) {
                BackupHeader header = BackupHeader.create(key, kdf, salt, prefix, database.kind(), createdAt);
                OutputStream file = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
                file.write(header.encoded());
                try (TarArchiveOutputStream tar = new TarArchiveOutputStream(
                        new SealedOutputStream(file, key.aesKey(), prefix, header.encoded()))) {
                    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                    add(tar, MANIFEST, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
                    for (Map.Entry<String, byte[]> f : files.entrySet()) {
                        add(tar, DATA + f.getKey(), f.getValue());
                    }
                    for (Path f : dbFiles) {
                        Path source = work.resolve(f);
                        TarArchiveEntry entry = new TarArchiveEntry(DATABASE + database.kind() + "/" + f);
                        entry.setSize(Files.size(source));
                        entry.setMode(0100600);
                        tar.putArchiveEntry(entry);
                        try (InputStream in = Files.newInputStream(source)) {
                            in.transferTo(tar);
                        }
                        tar.closeArchiveEntry();
                    }
                    for (int i = 0; i < externals.size(); i++) {
                        add(tar, EXTERNAL + outside.get(i).get("entry"), Files.readAllBytes(externals.get(i).path()));
                    }
                    tar.finish();
                }
            }
            try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE)) {
                channel.force(true); // durable before it is published under its name
            }
            Written written = new Written(backupId, createdAt, database.kind(), new ArrayList<>(files.keySet()), vaultKeys,
                    auditHead, Files.size(partial));
            beforePublish.run(written);
            Files.move(partial, output, StandardCopyOption.ATOMIC_MOVE);
            return written;
        } finally {
            Files.deleteIfExists(partial);
            deleteTree(work);
        }
    }

    @FunctionalInterface
    public interface BeforePublish {
        void run(Written written) throws IOException;
    }

    /** Every regular file of the data directory but the live database and temporary files, by relative name. */
    private Map<String, byte[]> dataFiles() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dataDir)) {
            paths = walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
        }
        for (Path p : paths) {
            String name = dataDir.relativize(p).toString().replace('\\', '/');
            if (name.equals(Database.FILE_NAME) || name.startsWith(Database.FILE_NAME + "-") || name.endsWith(".tmp")
                    || name.equals(HeadAnchorFile.DIRECTORY + "/" + HeadAnchorFile.HEAD)) {
                continue; // the database comes from its snapshot; the head was read before it
            }
            if (name.startsWith("vault/")) {
                continue; // read below, last
            }
            files.put(name, Files.readAllBytes(p));
        }
        // vault/ last, so a key added during the backup is in it.
        Map<String, byte[]> ordered = new LinkedHashMap<>(files);
        Path vault = dataDir.resolve("vault");
        if (Files.isDirectory(vault)) {
            try (Stream<Path> walk = Files.list(vault)) {
                for (Path p : walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList()) {
                    String name = "vault/" + p.getFileName();
                    if (!name.endsWith(".tmp")) {
                        ordered.put(name, Files.readAllBytes(p));
                    }
                }
            }
        }
        return ordered;
    }

    private static void add(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(content.length);
        entry.setMode(0100600);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
