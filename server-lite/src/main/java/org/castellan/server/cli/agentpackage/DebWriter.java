package org.castellan.server.cli.agentpackage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.vafer.jdeb.Console;
import org.vafer.jdeb.DataConsumer;
import org.vafer.jdeb.DataProducer;
import org.vafer.jdeb.DebMaker;
import org.vafer.jdeb.PackagingException;
import org.vafer.jdeb.shaded.commons.compress.archivers.tar.TarArchiveEntry;

/** Writes the Linux agent as a .deb with jdeb: control file and maintainer scripts, then the files. */
final class DebWriter {
    private DebWriter() {}

    static Path write(AgentPayload payload, PackageSpec spec, List<Entry> entries, Path outputDir, Path workDir)
            throws IOException {
        String version = Versions.deb(payload.version(), spec.release());
        Path control = Files.createDirectories(workDir.resolve("control"));
        Files.writeString(control.resolve("control"), String.join("\n",
                "Package: castellan-agent",
                "Version: " + version,
                "Section: admin",
                "Priority: optional",
                "Architecture: amd64",
                "Maintainer: Castellan developers <castellan@example.invalid>",
                "Depends: passwd",
                "Description: Castellan agent: local administrator password rotation",
                " Rotates a local administrator password on a schedule and escrows each new",
                " password, encrypted to the server's vault key, with a castellan-server.",
                spec.preconfigured()
                        ? " Preconfigured: registers this device with " + String.join(", ", spec.servers()) + " when installed."
                        : " Carries its own Java runtime. The agent starts after 'castellan-agent register'.",
                ""), StandardCharsets.UTF_8);
        for (String script : List.of("postinst", "prerm", "postrm")) {
            Path target = control.resolve(script);
            Files.copy(payload.file("linux/deb/" + script), target);
            target.toFile().setExecutable(true, false);
        }
        Path deb = outputDir.resolve("castellan-agent_" + version + "_amd64.deb");
        Throwable[] failure = new Throwable[1];
        DataProducer data = consumer -> {
            try {
                produce(entries, consumer);
            } catch (IOException | RuntimeException | Error e) {
                // jdeb closes its tar stream in a finally block, which would hide this failure.
                failure[0] = e;
                throw e;
            }
        };
        DebMaker maker = new DebMaker(new QuietConsole(), List.of(data), List.of());
        maker.setControl(control.toFile());
        maker.setDeb(deb.toFile());
        maker.setCompression("gzip");
        maker.setTarLongFileMode("gnu"); // dpkg reads GNU long names, not PAX headers
        maker.setTarBigNumberMode("gnu");
        try {
            maker.validate();
            maker.makeDeb();
        } catch (PackagingException e) {
            if (failure[0] != null) {
                throw new IOException("write " + deb + ": " + failure[0].getMessage(), failure[0]);
            }
            StringBuilder why = new StringBuilder(e.getMessage());
            for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
                why.append(": ").append(cause.getMessage());
            }
            if (System.getenv("CASTELLAN_DEBUG") != null) {
                e.printStackTrace();
            }
            throw new IOException("write " + deb + ": " + why, e);
        }
        return deb;
    }

    private static void produce(List<Entry> entries, DataConsumer consumer) throws IOException {
        for (Entry entry : entries) {
            TarArchiveEntry tar = new TarArchiveEntry("./" + entry.relative() + (entry.directory() ? "/" : ""));
            tar.setMode((entry.directory() ? TarArchiveEntry.DEFAULT_DIR_MODE & ~07777 : TarArchiveEntry.DEFAULT_FILE_MODE & ~07777)
                    | entry.mode());
            tar.setUserName("root");
            tar.setGroupName("root");
            tar.setUserId(0);
            tar.setGroupId(0);
            if (entry.directory()) {
                consumer.onEachDir(tar);
            } else {
                tar.setSize(entry.size());
                if (entry.source() != null) {
                    tar.setModTime(Files.getLastModifiedTime(entry.source()).toMillis());
                }
                try (InputStream in = entry.open()) {
                    consumer.onEachFile(in, tar);
                }
            }
        }
    }

    /** jdeb reports each file it adds; the entries include the registration key's path, not the key. */
    private static final class QuietConsole implements Console {
        @Override
        public void debug(String message) {}

        @Override
        public void info(String message) {}

        @Override
        public void warn(String message) {
            System.err.println("package-agent: " + message);
        }
    }
}
