package org.castellan.server.cli.agentpackage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Writes the Windows agent as an .msi with {@code wixl} (Debian's msitools): the jar and .cmd
 * scripts in Program Files\Castellan, config.json and the registration key in
 * %ProgramData%\Castellan, and two deferred custom actions run as SYSTEM: enrol.cmd after the
 * files are installed (locks the state directory down, registers, deletes the key, starts the
 * agent) and remove.cmd on uninstall. No Java runtime is bundled (none for Windows can be fetched
 * where this is built): the machine needs a Java 17 or later (JAVA_HOME or java.exe on PATH).
 */
final class MsiWriter {
    /** Stays the same for every Castellan agent MSI, so a newer one upgrades an older one (upper case, as Windows Installer compares GUIDs). */
    static final String UPGRADE_CODE = "6A1F7E8C-0B7E-4C1E-9C55-3B1D6A0C2F11";

    private MsiWriter() {}

    static Path write(AgentPayload payload, PackageSpec spec, Path outputDir, Path workDir) throws IOException {
        Path files = Files.createDirectories(workDir.resolve("msi-files"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.copy(payload.file("castellan-agent.jar"), files.resolve("castellan-agent.jar"));
        Files.copy(payload.file("windows/castellan-agent.cmd"), files.resolve("castellan-agent.cmd"));
        Files.write(files.resolve("enrol.cmd"), OtherLayouts.withMode(payload, "windows/enrol.cmd", spec.mode()));
        Files.copy(payload.file("windows/remove.cmd"), files.resolve("remove.cmd"));
        if (spec.preconfigured()) {
            Files.write(files.resolve("config.json"), AgentConfigJson.write(spec.servers(), spec.fingerprint(), null));
            Path key = Files.createFile(files.resolve("registration-key"),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(key, spec.key());
        }
        String version = Versions.msi(payload.version(), spec.release());
        Path wxs = workDir.resolve("castellan-agent.wxs");
        Files.writeString(wxs, wxs(version, spec, files), StandardCharsets.UTF_8);
        Path msi = outputDir.resolve("castellan-agent-" + Versions.deb(payload.version(), spec.release()) + "-windows-x64.msi");
        // wixl finds the sources relative to its working directory.
        run(List.of("wixl", "-a", "x64", "-o", msi.toAbsolutePath().toString(), wxs.toAbsolutePath().toString()), files, workDir);
        return msi;
    }

    static String wxs(String version, PackageSpec spec, Path files) {
        List<String> program = List.of("castellan-agent.jar", "castellan-agent.cmd", "enrol.cmd", "remove.cmd");
        List<String> state = spec.preconfigured() ? List.of("config.json", "registration-key") : List.of();
        StringBuilder out = new StringBuilder();
        out.append("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n")
                .append("<Wix xmlns=\"http://schemas.microsoft.com/wix/2006/wi\">\n")
                .append("  <Product Id=\"*\" Name=\"Castellan agent\" Language=\"1033\" Version=\"").append(version)
                .append("\" Manufacturer=\"Castellan\" UpgradeCode=\"").append(UPGRADE_CODE).append("\">\n")
                .append("    <Package InstallerVersion=\"500\" Compressed=\"yes\" InstallScope=\"perMachine\"")
                .append(" Description=\"Castellan agent ").append(spec.preconfigured() ? "(preconfigured)" : "(plain)")
                .append("; needs Java 17 or later\"/>\n")
                .append("    <Media Id=\"1\" Cabinet=\"agent.cab\" EmbedCab=\"yes\"/>\n")
                .append("    <MajorUpgrade AllowSameVersionUpgrades=\"yes\" DowngradeErrorMessage=\"A newer Castellan agent is installed.\"/>\n")
                .append("    <Directory Id=\"TARGETDIR\" Name=\"SourceDir\">\n")
                .append("      <Directory Id=\"ProgramFiles64Folder\">\n")
                .append("        <Directory Id=\"INSTALLDIR\" Name=\"Castellan\">\n");
        List<String> refs = new ArrayList<>();
        for (String name : program) {
            out.append(component(name, files, refs));
        }
        out.append("        </Directory>\n      </Directory>\n")
                .append("      <Directory Id=\"CommonAppDataFolder\">\n")
                .append("        <Directory Id=\"STATEDIR\" Name=\"Castellan\">\n");
        for (String name : state) {
            out.append(component(name, files, refs));
        }
        out.append("        </Directory>\n      </Directory>\n    </Directory>\n")
                .append("    <Feature Id=\"Agent\" Level=\"1\">\n");
        for (String ref : refs) {
            out.append("      <ComponentRef Id=\"").append(ref).append("\"/>\n");
        }
        out.append("    </Feature>\n")
                // Type 51 then type 50: run cmd.exe (from the System folder) with the installed script.
                .append("    <CustomAction Id=\"SetCmdExe\" Property=\"CMDEXE\" Value=\"[SystemFolder]cmd.exe\"/>\n")
                .append("    <CustomAction Id=\"EnrolAgent\" Property=\"CMDEXE\" ExeCommand=\"/c &quot;&quot;[INSTALLDIR]enrol.cmd&quot;&quot;\"")
                .append(" Execute=\"deferred\" Impersonate=\"no\" Return=\"check\"/>\n")
                .append("    <CustomAction Id=\"RemoveAgent\" Property=\"CMDEXE\" ExeCommand=\"/c &quot;&quot;[INSTALLDIR]remove.cmd&quot;&quot;\"")
                .append(" Execute=\"deferred\" Impersonate=\"no\" Return=\"ignore\"/>\n")
                .append("    <InstallExecuteSequence>\n")
                .append("      <Custom Action=\"SetCmdExe\" Sequence=\"1450\"/>\n")
                .append("      <Custom Action=\"RemoveAgent\" Sequence=\"3450\">REMOVE=\"ALL\" AND NOT UPGRADINGPRODUCTCODE</Custom>\n")
                .append("      <Custom Action=\"EnrolAgent\" Sequence=\"6590\">NOT REMOVE</Custom>\n")
                .append("    </InstallExecuteSequence>\n")
                .append("  </Product>\n</Wix>\n");
        return out.toString();
    }

    private static String component(String name, Path files, List<String> refs) {
        String id = name.replaceAll("[^A-Za-z0-9]", "_");
        refs.add("C_" + id);
        // A fixed GUID per file name: the same component in every build, so upgrades replace it.
        String guid = UUID.nameUUIDFromBytes(("castellan-agent/" + name).getBytes(StandardCharsets.UTF_8)).toString();
        return "          <Component Id=\"C_" + id + "\" Guid=\"" + guid + "\" Win64=\"yes\"><File Id=\"F_" + id
                + "\" Name=\"" + name + "\" Source=\"" + name + "\" KeyPath=\"yes\"/></Component>\n";
    }

    private static void run(List<String> command, Path directory, Path workDir) throws IOException {
        Path log = workDir.resolve("wixl.log");
        Process process;
        try {
            process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IOException("cannot run wixl, which builds the MSI (Debian/Ubuntu: apt-get install wixl): "
                    + e.getMessage(), e);
        }
        try {
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("wixl did not finish within 120 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for wixl", e);
        }
        if (process.exitValue() != 0) {
            throw new IOException("wixl failed (exit " + process.exitValue() + "): "
                    + Files.readString(log, StandardCharsets.UTF_8).strip());
        }
    }
}
