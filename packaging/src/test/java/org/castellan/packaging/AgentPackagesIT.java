package org.castellan.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.castellan.testsupport.Prerequisite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each package type that {@code castellan-server package-agent} builds, built once with the real
 * command and inspected with the platforms' own tools (dpkg-deb, rpm, tar, msiinfo): files, modes,
 * maintainer scripts, metadata. While the packages are built, every process's command line is
 * watched for the registration key.
 */
class AgentPackagesIT {
    static final String KEY = "crk_PackagedKeyMustNeverBeAnArgument0123456789abcd";
    static final String FP = "0f".repeat(32);
    static final String SERVERS = "https://castellan-a.example:8443,https://castellan-b.example:8443";

    @TempDir
    static Path dir;
    static Path keyFile;
    static final Map<String, Path> built = new TreeMap<>();
    static final Map<String, Command.Result> outputs = new TreeMap<>();
    static ArgvWatch watch;

    @BeforeAll
    static void buildEveryType() throws Exception {
        DebFile.assumeDpkgDeb();
        Prerequisite.require(Command.available("rpm"), "rpm (the .rpm package is inspected)", "apt-get install -y rpm");
        Prerequisite.require(Command.available("wixl") && Command.available("msiinfo"),
                "wixl and msiinfo (the MSI is built and read back)", "apt-get install -y wixl msitools");
        keyFile = dir.resolve("key.json");
        Files.writeString(keyFile, "{\"id\":\"k-1\",\"key\":\"" + KEY + "\",\"name\":\"laptops\",\"maxUses\":50,"
                + "\"expiresAt\":\"2099-01-01T00:00:00Z\",\"requireApproval\":false,\"groups\":[]}\n");
        watch = ArgvWatch.forSecret(KEY);
        // Two builds at a time (each its own package-agent process and output directory): most of a
        // build is one CPU-bound JVM, so this halves the wall time on a two-core machine.
        ExecutorService builders = Executors.newFixedThreadPool(2);
        Map<String, Future<Command.Result>> running = new TreeMap<>();
        try {
            for (String[] type : List.of(new String[] {"deb", "linux"}, new String[] {"rpm", "linux"},
                    new String[] {"tar.gz", "linux"}, new String[] {"tar.gz", "macos"}, new String[] {"msi", "windows"})) {
                Path out = Files.createDirectories(dir.resolve(type[0] + "-" + type[1]));
                List<String> args = new ArrayList<>(List.of("--type", type[0], "--os", type[1], "--server", SERVERS,
                        "--server-fingerprint", FP.toUpperCase(), "--registration-key-file", keyFile.toString(),
                        "--output", out.toString()));
                running.put(type[0] + "-" + type[1], builders.submit(() -> PackageAgent.run(args)));
            }
            for (Map.Entry<String, Future<Command.Result>> build : running.entrySet()) {
                Command.Result result = build.getValue().get();
                assertThat(result.exitCode()).as(build.getKey() + ": " + result.describe()).isZero();
                outputs.put(build.getKey(), result);
                built.put(build.getKey(), Path.of(result.stdout().strip()));
            }
        } finally {
            builders.shutdownNow();
        }
        watch.close();
    }

    @AfterAll
    static void stopWatching() throws Exception {
        if (watch != null) {
            watch.close();
        }
    }

    @Test
    void theKeyIsInNoArgvNoOutputAndNoFileNameWhileBuilding() throws Exception {
        assertThat(watch.seen()).as("the watch saw the builds").anyMatch(line -> line.contains("package-agent"));
        assertThat(watch.leaks()).isEmpty();
        for (Command.Result result : outputs.values()) {
            assertThat(result.stdout() + result.stderr()).doesNotContain(KEY);
        }
        for (Path output : built.values()) {
            try (var files = Files.list(output.getParent())) {
                assertThat(files.map(p -> p.getFileName().toString()))
                        .as("only the package is left, no scratch files").containsExactly(output.getFileName().toString());
            }
            assertThat(output.getFileName().toString()).doesNotContain(KEY).doesNotContain("crk_");
            // It carries the key: readable by its owner only, whatever the umask of the admin's shell.
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(output))).as(output.toString())
                    .isEqualTo("rw-------");
        }
    }

    @Test
    void debIsSelfContainedAmd64AndCarriesConfigAndKeyOwnerOnly() throws Exception {
        DebFile deb = new DebFile("castellan-agent", built.get("deb-linux"));
        assertThat(deb.path().getFileName().toString()).isEqualTo("castellan-agent_0.1.0~SNAPSHOT-1_amd64.deb");
        assertThat(deb.field("Architecture")).isEqualTo("amd64");
        assertThat(deb.field("Version")).isEqualTo("0.1.0~SNAPSHOT-1");
        assertThat(deb.field("Depends")).as("no Java: the runtime is inside").isEqualTo("passwd");
        Map<String, DebFile.Entry> files = deb.contents();
        assertThat(files.get("/var/lib/castellan-agent/registration-key"))
                .isEqualTo(new DebFile.Entry("-rw-------", "root/root", "/var/lib/castellan-agent/registration-key"));
        assertThat(files.get("/var/lib/castellan-agent/config.json").mode()).isEqualTo("-rw-------");
        assertThat(files.get("/var/lib/castellan-agent").mode()).isEqualTo("drwx------");
        assertThat(files.get("/usr/lib/castellan-agent/runtime/bin/java").mode()).isEqualTo("-rwxr-xr-x");
        assertThat(files.get("/usr/lib/castellan-agent/runtime/lib/modules").mode()).isEqualTo("-rw-r--r--");
        assertThat(files.get("/usr/lib/castellan-agent/enrol").mode()).isEqualTo("-rwxr-xr-x");
        assertThat(files.get("/usr/bin/castellan-agent").mode()).isEqualTo("-rwxr-xr-x");
        assertThat(files).containsKeys("/lib/systemd/system/castellan-agent.service",
                "/lib/systemd/system/castellan-agent-checkin.service", "/lib/systemd/system/castellan-agent-checkin.timer",
                "/usr/lib/castellan-agent/service-mode", "/usr/share/castellan/castellan-agent.jar",
                "/usr/lib/castellan-agent/runtime/lib/server/libjvm.so", "/usr/lib/castellan-agent/runtime/lib/server/classes.jsa");
        assertThat(files.values()).extracting(DebFile.Entry::owner).containsOnly("root/root");

        Path root = Files.createDirectories(dir.resolve("deb-root"));
        deb.extractTo(root);
        assertThat(Files.readString(root.resolve("var/lib/castellan-agent/registration-key"))).isEqualTo(KEY);
        assertThat(Files.readString(root.resolve("var/lib/castellan-agent/config.json")))
                .contains("\"server\" : \"" + SERVERS + "\"")
                .contains("\"serverFingerprint\" : \"" + FP + "\"")
                .contains("\"registrationKeyFile\" : \"/var/lib/castellan-agent/registration-key\"")
                .doesNotContain(KEY);
        assertThat(Files.readString(root.resolve("usr/lib/castellan-agent/service-mode"))).isEqualTo("timer\n");

        Path control = Files.createDirectories(dir.resolve("deb-control"));
        deb.extractControlTo(control);
        for (String script : List.of("postinst", "prerm", "postrm")) {
            assertThat(Files.isExecutable(control.resolve(script))).as(script).isTrue();
            assertThat(Command.run(List.of("sh", "-n", control.resolve(script).toString())).exitCode()).isZero();
            assertThat(Files.readString(control.resolve(script))).doesNotContain(KEY);
        }
        assertThat(Files.readString(control.resolve("postinst"))).contains("/usr/lib/castellan-agent/enrol");
    }

    @Test
    void linuxRuntimeHoldsTheModulesJdepsFoundPlusTheEcProviderAndWhatTheyRequireOnly() throws Exception {
        Path payload = PackageAgent.jars().resolve("agent-payload");
        String jdeps = Files.readString(payload.resolve("linux-x64/jdeps-modules")).strip();
        assertThat(jdeps).startsWith("java.base");
        List<String> roots = new ArrayList<>(Arrays.asList(jdeps.split(",")));
        roots.add("jdk.crypto.ec");
        // What jlink adds: the modules those require, as this JDK's own module graph says.
        java.util.Set<String> closure = new java.util.TreeSet<>();
        java.util.Deque<String> todo = new java.util.ArrayDeque<>(roots);
        java.lang.module.ModuleFinder system = java.lang.module.ModuleFinder.ofSystem();
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (closure.add(name)) {
                system.find(name).orElseThrow().descriptor().requires().stream()
                        .filter(r -> !r.modifiers().contains(java.lang.module.ModuleDescriptor.Requires.Modifier.STATIC))
                        .forEach(r -> todo.push(r.name()));
            }
        }
        String release = Files.readString(payload.resolve("linux-x64/runtime/release"));
        String modules = release.lines().filter(l -> l.startsWith("MODULES=")).findFirst().orElseThrow()
                .replaceAll("^MODULES=\"|\"$", "");
        assertThat(Arrays.asList(modules.split(" "))).containsExactlyInAnyOrderElementsOf(closure);
        assertThat(modules).doesNotContain("jdk.compiler").doesNotContain("java.se ").doesNotContain("jdk.jshell");
    }

    @Test
    void rpmIsX86_64WithTheSameFilesModesAndScriptlets() throws Exception {
        Path rpm = built.get("rpm-linux");
        assertThat(rpm.getFileName().toString()).isEqualTo("castellan-agent-0.1.0~SNAPSHOT-1.x86_64.rpm");
        Command.Result info = Command.run(List.of("rpm", "-qp", "--qf", "%{NAME} %{VERSION} %{RELEASE} %{ARCH}\\n", rpm.toString()));
        assertThat(info.stdout().strip()).as(info.describe()).isEqualTo("castellan-agent 0.1.0~SNAPSHOT 1 x86_64");
        Command.Result requires = Command.run(List.of("rpm", "-qpR", rpm.toString()));
        assertThat(requires.stdout()).contains("/usr/sbin/chpasswd").doesNotContain("java");
        Command.Result list = Command.run(List.of("rpm", "-qp", "--qf", "[%{FILEMODES:perms} %{FILEUSERNAME}:%{FILEGROUPNAME} %{FILENAMES}\\n]",
                rpm.toString()));
        assertThat(list.exitCode()).as(list.describe()).isZero();
        assertThat(list.stdout().lines()).contains(
                "-rw------- root:root /var/lib/castellan-agent/registration-key",
                "-rw------- root:root /var/lib/castellan-agent/config.json",
                "drwx------ root:root /var/lib/castellan-agent",
                "-rwxr-xr-x root:root /usr/bin/castellan-agent",
                "-rwxr-xr-x root:root /usr/lib/castellan-agent/enrol",
                "-rwxr-xr-x root:root /usr/lib/castellan-agent/runtime/bin/java",
                "-rw-r--r-- root:root /usr/share/castellan/castellan-agent.jar",
                "-rw-r--r-- root:root /usr/lib/systemd/system/castellan-agent-checkin.timer");
        Command.Result scripts = Command.run(List.of("rpm", "-qp", "--scripts", rpm.toString()));
        assertThat(scripts.stdout()).contains("postinstall scriptlet", "preuninstall scriptlet", "postuninstall scriptlet",
                "/usr/lib/castellan-agent/enrol").doesNotContain(KEY);
    }

    @Test
    void linuxTarGzHasInstallScriptFileListAndTheInstalledTreeWithModes() throws Exception {
        Path tar = built.get("tar.gz-linux");
        assertThat(tar.getFileName().toString()).isEqualTo("castellan-agent-0.1.0~SNAPSHOT-1-linux-x64.tar.gz");
        List<String> listing = tarListing(tar);
        String top = "castellan-agent-0.1.0~SNAPSHOT-1-linux-x64/";
        assertThat(listing).contains(
                "-rwxr-xr-x root/root " + top + "install.sh",
                "-rwxr-xr-x root/root " + top + "uninstall.sh",
                "-rw-r--r-- root/root " + top + "files.txt",
                "drwx------ root/root " + top + "root/var/lib/castellan-agent/",
                "-rw------- root/root " + top + "root/var/lib/castellan-agent/registration-key",
                "-rwxr-xr-x root/root " + top + "root/usr/lib/castellan-agent/runtime/bin/java",
                "-rw-r--r-- root/root " + top + "root/usr/lib/systemd/system/castellan-agent-checkin.timer");
        Path unpacked = Files.createDirectories(dir.resolve("tar-linux"));
        assertThat(Command.run(List.of("tar", "-xzf", tar.toString(), "-C", unpacked.toString())).exitCode()).isZero();
        assertThat(Files.readAllLines(unpacked.resolve(top + "files.txt"))).contains("/usr/bin/castellan-agent",
                "/usr/lib/castellan-agent/runtime/bin/java").noneMatch(p -> p.startsWith("/var/lib/castellan-agent"));
        assertThat(Command.run(List.of("sh", "-n", unpacked.resolve(top + "install.sh").toString())).exitCode()).isZero();
    }

    @Test
    void macosTarGzHasTheJarLaunchdPlistsAndAnInstallScriptForTheChosenMode() throws Exception {
        Path tar = built.get("tar.gz-macos");
        String top = "castellan-agent-0.1.0~SNAPSHOT-1-macos/";
        assertThat(tar.getFileName().toString()).isEqualTo("castellan-agent-0.1.0~SNAPSHOT-1-macos.tar.gz");
        List<String> listing = tarListing(tar);
        assertThat(listing).contains("-rwxr-xr-x root/root " + top + "install.sh",
                "-rwxr-xr-x root/root " + top + "castellan-agent",
                "-rw-r--r-- root/root " + top + "castellan-agent.jar",
                "-rw-r--r-- root/root " + top + "org.castellan.agent.timer.plist",
                "-rw-r--r-- root/root " + top + "org.castellan.agent.service.plist",
                "-rw------- root/root " + top + "config.json",
                "-rw------- root/root " + top + "registration-key");
        assertThat(listing).noneMatch(line -> line.contains("runtime/"));
        Path unpacked = Files.createDirectories(dir.resolve("tar-macos"));
        assertThat(Command.run(List.of("tar", "-xzf", tar.toString(), "-C", unpacked.toString())).exitCode()).isZero();
        String install = Files.readString(unpacked.resolve(top + "install.sh"));
        assertThat(install).contains("mode=timer\n").doesNotContain("@MODE@").contains("java_home -v 17+")
                .contains("launchctl bootstrap system");
        assertThat(Command.run(List.of("sh", "-n", unpacked.resolve(top + "install.sh").toString())).exitCode()).isZero();
        String timer = Files.readString(unpacked.resolve(top + "org.castellan.agent.timer.plist"));
        assertThat(timer).contains("<key>StartInterval</key>\n\t<integer>900</integer>").contains("<string>--if-due</string>")
                .contains("<string>org.castellan.agent</string>");
        assertThat(Files.readString(unpacked.resolve(top + "config.json")))
                .contains("\"registrationKeyFile\" : \"/Library/Application Support/Castellan/registration-key\"");
        Command.Result plist = Command.run(List.of("python3", "-c", "import plistlib,sys; d=plistlib.load(open(sys.argv[1],'rb'));"
                + " print(d['Label'], d['StartInterval'], ' '.join(d['ProgramArguments']))",
                unpacked.resolve(top + "org.castellan.agent.timer.plist").toString()));
        if (plist.exitCode() == 0) { // python3 reads it as launchd would: a well-formed plist
            assertThat(plist.stdout().strip()).isEqualTo("org.castellan.agent 900 /usr/local/castellan-agent/bin/castellan-agent"
                    + " check-in --if-due --state-dir /Library/Application Support/Castellan");
        }
    }

    @Test
    void msiTablesHoldTheFilesTheEnrolActionAndTheUpgradeCode() throws Exception {
        Path msi = built.get("msi-windows");
        assertThat(msi.getFileName().toString()).isEqualTo("castellan-agent-0.1.0~SNAPSHOT-1-windows-x64.msi");
        assertThat(msiTable(msi, "File")).anyMatch(r -> r.startsWith("F_castellan_agent_jar\tC_castellan_agent_jar\tcastellan-agent.jar\t"))
                .anyMatch(r -> r.startsWith("F_enrol_cmd\t"))
                .anyMatch(r -> r.startsWith("F_remove_cmd\t"))
                .anyMatch(r -> r.startsWith("F_config_json\tC_config_json\tconfig.json\t"))
                .anyMatch(r -> r.startsWith("F_registration_key\tC_registration_key\tregistration-key\t" + KEY.length() + "\t"));
        assertThat(msiTable(msi, "Component")).anyMatch(r -> r.startsWith("C_registration_key\t") && r.contains("\tSTATEDIR\t"))
                .anyMatch(r -> r.startsWith("C_castellan_agent_jar\t") && r.contains("\tINSTALLDIR\t"));
        assertThat(msiTable(msi, "Directory")).contains("INSTALLDIR\tProgramFiles64Folder\tCastellan",
                "STATEDIR\tCommonAppDataFolder\tCastellan");
        assertThat(msiTable(msi, "CustomAction")).contains(
                "SetCmdExe\t2099\tCMDEXE\t[SystemFolder]cmd.exe\t",
                "EnrolAgent\t3122\tCMDEXE\t/c \"\"[INSTALLDIR]enrol.cmd\"\"\t",
                "RemoveAgent\t3186\tCMDEXE\t/c \"\"[INSTALLDIR]remove.cmd\"\"\t");
        List<String> sequence = msiTable(msi, "InstallExecuteSequence");
        assertThat(sequence).contains("EnrolAgent\tNOT REMOVE\t6590", "SetCmdExe\t\t1450",
                "RemoveAgent\tREMOVE=\"ALL\" AND NOT UPGRADINGPRODUCTCODE\t3450", "InstallFiles\t\t4000",
                "InstallFinalize\t\t6600");
        assertThat(msiTable(msi, "Property")).contains("UpgradeCode\t{6A1F7E8C-0B7E-4C1E-9C55-3B1D6A0C2F11}",
                "ProductVersion\t0.1.0.1", "Manufacturer\tCastellan");
        for (String table : List.of("CustomAction", "Property", "File")) {
            assertThat(String.join("\n", msiTable(msi, table))).doesNotContain(KEY);
        }
    }

    @Test
    void plainMsiHasNoKeyAndNoConfig(@TempDir Path out) throws Exception {
        Path msi = PackageAgent.build(List.of("--type", "msi", "--unconfigured", "--output", out.toString()));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(msi))).as("no key: readable by all")
                .isEqualTo("rw-r--r--");
        assertThat(msiTable(msi, "File")).noneMatch(r -> r.contains("registration-key") || r.contains("config.json"))
                .anyMatch(r -> r.startsWith("F_enrol_cmd\t"));
    }

    static List<String> tarListing(Path tar) throws Exception {
        Command.Result list = Command.run(List.of("tar", "--numeric-owner", "-tvzf", tar.toString()));
        assertThat(list.exitCode()).as(list.describe()).isZero();
        List<String> lines = new ArrayList<>();
        for (String line : list.stdout().split("\n")) {
            String[] columns = line.trim().split("\\s+", 6);
            if (columns.length == 6) {
                String owner = columns[1].equals("0/0") ? "root/root" : columns[1];
                lines.add(columns[0] + " " + owner + " " + columns[5]);
            }
        }
        return lines;
    }

    static List<String> msiTable(Path msi, String table) throws Exception {
        Command.Result export = Command.run(List.of("msiinfo", "export", msi.toString(), table));
        assertThat(export.exitCode()).as(export.describe()).isZero();
        List<String> rows = new ArrayList<>(export.stdout().replace("\r", "").lines().toList());
        return rows.subList(Math.min(3, rows.size()), rows.size()); // header, types, table name
    }

    static String read(Path file) throws Exception {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
