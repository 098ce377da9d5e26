package org.castellan.server.cli.agentpackage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.castellan.server.cli.agentpackage.PackageSpec.PackageType;
import org.castellan.server.cli.agentpackage.PackageSpec.TargetOs;

/** Builds one agent package from the payload; what goes where is in the layouts and writers. */
public final class AgentPackager {
    private final AgentPayload payload;

    public AgentPackager(AgentPayload payload) {
        this.payload = payload;
    }

    /**
     * Writes the package into {@code outputDir} and returns its path. Clears the spec's key. A
     * preconfigured package carries its registration key, so it is written owner-only (0600): it
     * is made in the private scratch directory and moved into place already with that mode, so it
     * is never readable by others, not even while it is written. A plain package is 0644.
     */
    public Path build(PackageSpec spec, Path outputDir) throws IOException {
        Files.createDirectories(outputDir);
        boolean carriesKey = spec.key() != null;
        // Private scratch space (redline and wixl read files from disk), deleted whatever happens.
        Path work = Files.createTempDirectory(outputDir.toAbsolutePath(), ".package-agent-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        List<Entry> entries = List.of();
        try {
            Path made = Files.createDirectory(work.resolve("made"));
            Path scratch = Files.createDirectory(work.resolve("scratch"));
            String name = Versions.deb(payload.version(), spec.release());
            Path written = switch (spec.type()) {
                case DEB -> DebWriter.write(payload, spec, entries = LinuxLayout.entries(payload, spec, "/lib/systemd/system"),
                        made, scratch);
                case RPM -> RpmWriter.write(payload, spec, entries = LinuxLayout.entries(payload, spec, "/usr/lib/systemd/system"),
                        made, scratch);
                case MSI -> MsiWriter.write(payload, spec, made, scratch);
                case TAR_GZ -> {
                    boolean mac = spec.os() == TargetOs.MACOS;
                    String top = "castellan-agent-" + name + (mac ? "-macos" : "-linux-x64");
                    entries = mac ? OtherLayouts.macos(payload, spec) : OtherLayouts.linuxTar(payload, spec);
                    yield TarGzWriter.write(made.resolve(top + ".tar.gz"), top, entries);
                }
            };
            Files.setPosixFilePermissions(written, PosixFilePermissions.fromString(carriesKey ? "rw-------" : "rw-r--r--"));
            // The scratch directory is inside outputDir, so this is a rename on one file system.
            return Files.move(written, outputDir.resolve(written.getFileName()), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } finally {
            entries.forEach(Entry::wipe);
            if (spec.key() != null) {
                java.util.Arrays.fill(spec.key(), (byte) 0);
            }
            deleteTree(work);
        }
    }

    /** Which OS a package type is for, when {@code --os} is not given; refuses combinations that do not exist. */
    public static TargetOs osFor(PackageType type, TargetOs requested) {
        TargetOs os = requested != null ? requested : switch (type) {
            case MSI -> TargetOs.WINDOWS;
            default -> TargetOs.LINUX;
        };
        boolean fits = switch (type) {
            case DEB, RPM -> os == TargetOs.LINUX;
            case MSI -> os == TargetOs.WINDOWS;
            case TAR_GZ -> os == TargetOs.LINUX || os == TargetOs.MACOS;
        };
        if (!fits) {
            throw new IllegalArgumentException("--type " + type.name().toLowerCase().replace('_', '.')
                    + " is not made for --os " + os.name().toLowerCase()
                    + " (deb, rpm, tar.gz: linux; tar.gz: macos; msi: windows)");
        }
        return os;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
