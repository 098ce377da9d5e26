package org.castellan.server.cli.agentpackage;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Writes entries into a .tar.gz under one top directory, owned by root (uid 0) with their modes. */
final class TarGzWriter {
    private TarGzWriter() {}

    /**
     * @param entries paths relative to {@code topDir} (an entry's path {@code /root/usr/bin/x} lands at {@code TOP/root/usr/bin/x})
     */
    static Path write(Path archive, String topDir, List<Entry> entries) throws IOException {
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(archive));
             GzipCompressorOutputStream gzip = new GzipCompressorOutputStream(file);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            tar.putArchiveEntry(directory(topDir + "/", 0755));
            tar.closeArchiveEntry();
            for (Entry entry : entries) {
                String name = topDir + entry.path() + (entry.directory() ? "/" : "");
                if (entry.directory()) {
                    tar.putArchiveEntry(directory(name, entry.mode()));
                } else {
                    TarArchiveEntry tarEntry = new TarArchiveEntry(name);
                    owned(tarEntry, TarArchiveEntry.DEFAULT_FILE_MODE & ~07777 | entry.mode());
                    tarEntry.setSize(entry.size());
                    if (entry.source() != null) {
                        tarEntry.setModTime(Files.getLastModifiedTime(entry.source()));
                    }
                    tar.putArchiveEntry(tarEntry);
                    try (InputStream in = entry.open()) {
                        in.transferTo(tar);
                    }
                }
                tar.closeArchiveEntry();
            }
            tar.finish();
        }
        return archive;
    }

    private static TarArchiveEntry directory(String name, int mode) {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        owned(entry, TarArchiveEntry.DEFAULT_DIR_MODE & ~07777 | mode);
        return entry;
    }

    private static void owned(TarArchiveEntry entry, int mode) {
        entry.setMode(mode);
        entry.setUserId(0);
        entry.setGroupId(0);
        entry.setUserName("root");
        entry.setGroupName("root");
    }
}
