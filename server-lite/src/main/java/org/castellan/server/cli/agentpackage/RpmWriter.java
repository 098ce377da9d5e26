package org.castellan.server.cli.agentpackage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import org.redline_rpm.Builder;
import org.redline_rpm.header.Architecture;
import org.redline_rpm.header.Os;
import org.redline_rpm.header.RpmType;
import org.redline_rpm.payload.Directive;

/**
 * Writes the Linux agent as an .rpm with redline. Bytes made for the package (config.json, the
 * key) pass through owner-only files in the build's private work directory, which the caller
 * deletes: redline reads every file from disk.
 */
final class RpmWriter {
    private RpmWriter() {}

    static Path write(AgentPayload payload, PackageSpec spec, List<Entry> entries, Path outputDir, Path workDir)
            throws IOException {
        Builder rpm = new Builder();
        String version = Versions.rpm(payload.version());
        rpm.setPackage("castellan-agent", version, Integer.toString(spec.release()));
        rpm.setType(RpmType.BINARY);
        rpm.setPlatform(Architecture.X86_64, Os.LINUX);
        rpm.setSummary("Castellan agent: local administrator password rotation");
        rpm.setDescription("Rotates a local administrator password on a schedule and escrows each new password,"
                + " encrypted to the server's vault key, with a castellan-server. Carries its own Java runtime."
                + (spec.preconfigured() ? " Preconfigured: registers this device when installed." : ""));
        rpm.setLicense("Proprietary");
        rpm.setGroup("System Environment/Daemons");
        rpm.setBuildHost("castellan");
        rpm.setVendor("Castellan");
        rpm.addDependency("/usr/sbin/chpasswd", 0, "");
        rpm.setPostInstallScript(script(payload, "post"));
        rpm.setPreUninstallScript(script(payload, "preun"));
        rpm.setPostUninstallScript(script(payload, "postun"));
        Path bytesDir = Files.createDirectories(workDir.resolve("rpm-bytes"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        int counter = 0;
        try {
            for (Entry entry : entries) {
                if (entry.directory()) {
                    rpm.addDirectory(entry.path(), entry.mode(), Directive.NONE, "root", "root", false);
                    continue;
                }
                Path source = entry.source();
                if (source == null) {
                    source = bytesDir.resolve("entry-" + counter++);
                    Files.createFile(source, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    Files.write(source, entry.content());
                }
                rpm.addFile(entry.path(), source.toFile(), entry.mode(), -1, Directive.NONE, "root", "root", false);
            }
            String name = rpm.build(outputDir.toFile());
            return outputDir.resolve(name);
        } catch (NoSuchAlgorithmException e) {
            throw new IOException("write rpm: " + e.getMessage(), e);
        }
    }

    private static String script(AgentPayload payload, String name) throws IOException {
        return Files.readString(payload.file("linux/rpm/" + name), StandardCharsets.UTF_8);
    }
}
