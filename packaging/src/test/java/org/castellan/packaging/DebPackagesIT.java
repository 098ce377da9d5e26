package org.castellan.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The three .deb files as dpkg-deb sees them: fields, files, modes, maintainer scripts. */
class DebPackagesIT {
    private static final String JAVA_DEPENDENCY = "default-jre-headless (>= 2:1.17) | java17-runtime-headless";

    @BeforeAll
    static void needsDpkgDeb() {
        DebFile.assumeDpkgDeb();
    }

    @ParameterizedTest
    @ValueSource(strings = {"castellan-server", "castellan-cli"})
    void eachPackageIsNamedForItselfArchitectureIndependentAndVersionedLikeItsFile(String name) throws Exception {
        DebFile deb = DebFile.built(name);
        assertThat(deb.field("Package")).isEqualTo(name);
        assertThat(deb.field("Architecture")).isEqualTo("all");
        assertThat(deb.path().getFileName().toString()).isEqualTo(name + "_" + deb.field("Version") + "_all.deb");
        assertThat(deb.field("Version")).as("a SNAPSHOT sorts before its release").matches("\\d+\\.\\d+\\.\\d+(~SNAPSHOT)?");
        assertThat(deb.field("Maintainer")).isNotBlank();
        assertThat(deb.field("Description")).isNotBlank();
    }

    @Test
    void agentCarriesItsOwnRuntimeSoIsAmd64AndDependsOnPasswdOnly() throws Exception {
        DebFile deb = DebFile.built("castellan-agent");
        assertThat(deb.field("Package")).isEqualTo("castellan-agent");
        assertThat(deb.field("Architecture")).isEqualTo("amd64");
        assertThat(deb.field("Version")).as("package release 1; the SNAPSHOT sorts before its release")
                .matches("\\d+\\.\\d+\\.\\d+(~SNAPSHOT)?-1");
        assertThat(deb.path().getFileName().toString()).isEqualTo("castellan-agent_" + deb.field("Version") + "_amd64.deb");
        assertThat(deb.field("Depends")).isEqualTo("passwd");
    }

    @Test
    void serverDependsOnJava17AndOnAdduserForItsSystemUser() throws Exception {
        assertThat(DebFile.built("castellan-server").field("Depends")).isEqualTo(JAVA_DEPENDENCY + ", adduser");
    }

    @Test
    void cliDependsOnJava17Only() throws Exception {
        assertThat(DebFile.built("castellan-cli").field("Depends")).isEqualTo(JAVA_DEPENDENCY);
    }

    @Test
    void agentShipsItsJarLauncherUnitsRuntimeAndRootOnlyStateDirectoryButNoKey() throws Exception {
        Map<String, DebFile.Entry> files = DebFile.built("castellan-agent").contents();
        assertThat(files.get("/usr/share/castellan/castellan-agent.jar")).isEqualTo(
                new DebFile.Entry("-rw-r--r--", "root/root", "/usr/share/castellan/castellan-agent.jar"));
        assertThat(files.get("/usr/bin/castellan-agent")).isEqualTo(
                new DebFile.Entry("-rwxr-xr-x", "root/root", "/usr/bin/castellan-agent"));
        assertThat(files.get("/lib/systemd/system/castellan-agent.service")).isEqualTo(
                new DebFile.Entry("-rw-r--r--", "root/root", "/lib/systemd/system/castellan-agent.service"));
        assertThat(files.get("/var/lib/castellan-agent")).as("holds the device key: root only").isEqualTo(
                new DebFile.Entry("drwx------", "root/root", "/var/lib/castellan-agent"));
        assertThat(files.get("/usr/lib/castellan-agent/runtime/bin/java").mode()).isEqualTo("-rwxr-xr-x");
        assertThat(files.get("/usr/lib/castellan-agent/enrol").mode()).isEqualTo("-rwxr-xr-x");
        assertThat(files.keySet().stream().filter(p -> !p.startsWith("/usr/lib/castellan-agent/runtime/"))
                .filter(p -> files.get(p).mode().startsWith("-")))
                .containsExactlyInAnyOrder("/usr/share/castellan/castellan-agent.jar", "/usr/bin/castellan-agent",
                        "/lib/systemd/system/castellan-agent.service", "/lib/systemd/system/castellan-agent-checkin.service",
                        "/lib/systemd/system/castellan-agent-checkin.timer", "/usr/lib/castellan-agent/enrol",
                        "/usr/lib/castellan-agent/service-mode",
                        // the man page and completion scripts made from the picocli model
                        "/usr/share/man/man1/castellan-agent.1", "/usr/share/bash-completion/completions/castellan-agent", "/usr/share/zsh/vendor-completions/_castellan-agent", "/usr/share/fish/vendor_completions.d/castellan-agent.fish");
    }

    @Test
    void serverShipsTheAgentPayloadForPackageAgent() throws Exception {
        Map<String, DebFile.Entry> files = DebFile.built("castellan-server").contents();
        assertThat(files).containsKeys("/usr/share/castellan/agent-payload/castellan-agent.jar",
                "/usr/share/castellan/agent-payload/VERSION", "/usr/share/castellan/agent-payload/linux-x64/runtime/bin/java",
                "/usr/share/castellan/agent-payload/linux/enrol", "/usr/share/castellan/agent-payload/windows/enrol.cmd",
                "/usr/share/castellan/agent-payload/macos/install.sh");
    }

    @Test
    void serverShipsItsJarLauncherAndUnitButNotItsDataDirectory() throws Exception {
        Map<String, DebFile.Entry> files = DebFile.built("castellan-server").contents();
        assertThat(files.get("/usr/share/castellan/castellan-server.jar").mode()).isEqualTo("-rw-r--r--");
        assertThat(files.get("/usr/bin/castellan-server").mode()).isEqualTo("-rwxr-xr-x");
        assertThat(files.get("/lib/systemd/system/castellan-server.service").mode()).isEqualTo("-rw-r--r--");
        // postinst creates it for the castellan user; shipped as root's, every upgrade would reset it.
        assertThat(files).doesNotContainKey("/var/lib/castellan-server");
        assertThat(files.values()).extracting(DebFile.Entry::owner).containsOnly("root/root");
        assertThat(files.keySet().stream().filter(p -> !p.startsWith("/usr/share/castellan/agent-payload/"))
                .filter(p -> files.get(p).mode().startsWith("-")))
                .containsExactlyInAnyOrder("/usr/share/castellan/castellan-server.jar", "/usr/bin/castellan-server",
                        "/lib/systemd/system/castellan-server.service",
                        "/usr/share/man/man1/castellan-server.1", "/usr/share/bash-completion/completions/castellan-server", "/usr/share/zsh/vendor-completions/_castellan-server", "/usr/share/fish/vendor_completions.d/castellan-server.fish");
    }

    @Test
    void cliShipsItsJarLauncherManPageAndCompletionsOnly() throws Exception {
        Map<String, DebFile.Entry> files = DebFile.built("castellan-cli").contents();
        assertThat(files.get("/usr/share/castellan/castellan.jar").mode()).isEqualTo("-rw-r--r--");
        assertThat(files.get("/usr/bin/castellan").mode()).isEqualTo("-rwxr-xr-x");
        assertOnlyRegularFilesAre(files, "/usr/share/castellan/castellan.jar", "/usr/bin/castellan",
                "/usr/share/man/man1/castellan.1", "/usr/share/bash-completion/completions/castellan", "/usr/share/zsh/vendor-completions/_castellan", "/usr/share/fish/vendor_completions.d/castellan.fish");
    }

    @ParameterizedTest
    @ValueSource(strings = {"castellan-agent", "castellan-server"})
    void maintainerScriptsAreExecutableAndValidShell(String name, @TempDir Path control) throws Exception {
        DebFile.built(name).extractControlTo(control);
        for (String script : List.of("postinst", "prerm", "postrm")) {
            Path file = control.resolve(script);
            assertThat(file).as(script).exists();
            assertThat(Files.isExecutable(file)).as(script + " is executable").isTrue();
            assertThat(Files.readAllLines(file).get(0)).isEqualTo("#!/bin/sh");
            Command.Result syntax = Command.run(List.of("sh", "-n", file.toString()));
            assertThat(syntax.exitCode()).as(script + ": " + syntax.describe()).isZero();
        }
    }

    @Test
    void cliHasNoMaintainerScripts(@TempDir Path control) throws Exception {
        DebFile.built("castellan-cli").extractControlTo(control);
        try (var files = Files.list(control)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("control", "md5sums");
        }
    }

    @Test
    void serverUnitRunsAsCastellanWithHardeningAndOnlyItsDataDirectoryWritable(@TempDir Path root) throws Exception {
        DebFile.built("castellan-server").extractTo(root);
        List<String> unit = Files.readAllLines(root.resolve("lib/systemd/system/castellan-server.service"));
        assertThat(unit).contains(
                "ExecStart=/usr/bin/castellan-server serve --data /var/lib/castellan-server --listen 0.0.0.0:8443",
                "User=castellan", "Group=castellan", "NoNewPrivileges=yes", "ProtectSystem=strict",
                "ReadWritePaths=/var/lib/castellan-server", "PrivateTmp=yes", "ProtectHome=yes",
                "StandardOutput=null", "WantedBy=multi-user.target", "SuccessExitStatus=143", "CapabilityBoundingSet=",
                "PrivateUsers=yes", "SystemCallFilter=@system-service", "RestrictAddressFamilies=AF_INET AF_INET6");
    }

    @Test
    void launchersFindTheirJarNextToThemAndUseJavaFromPath(@TempDir Path root) throws Exception {
        for (String name : List.of("castellan-agent", "castellan-server", "castellan-cli")) {
            DebFile.built(name).extractTo(root);
        }
        for (String launcher : List.of("castellan-agent", "castellan-server", "castellan")) {
            String text = Files.readString(root.resolve("usr/bin/" + launcher));
            assertThat(text).startsWith("#!/bin/sh\n")
                    .contains("/share/castellan/" + launcher + ".jar")
                    .doesNotContain("packaging/target");
        }
        assertThat(Files.readString(root.resolve("usr/bin/castellan-server"))).contains("exec \"${JAVA:-java}\"");
        assertThat(Files.readString(root.resolve("usr/bin/castellan-agent")))
                .as("the agent's own runtime first, then JAVA or java from PATH")
                .contains("java=\"$lib/runtime/bin/java\"").contains("java=\"${JAVA:-java}\"").contains("exec \"$java\"");
    }

    @Test
    void agentAndCliJarsRegisterNoJcaProviderSoTheJdkNeverBuildsBouncyCastlesOne() throws Exception {
        for (String jar : List.of("castellan-agent.jar", "castellan.jar")) {
            try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(PackageAgent.jars().resolve(jar).toFile())) {
                assertThat(zip.getEntry("META-INF/services/java.security.Provider")).as(jar).isNull();
                assertThat(zip.getEntry("org/bouncycastle/crypto/signers/Ed25519Signer.class")).as(jar).isNotNull();
            }
        }
    }

    /**
     * The classes of the two short-lived clients concatenate strings with plain StringBuilder code
     * (javac.stringConcat in the parent pom): an invokedynamic concatenation spins method-handle
     * classes no class-data archive holds, on every run. A module added to the CLI or the agent
     * without the setting shows here. The server jar, compiled with the default, is the control
     * that the check finds such classes at all.
     */
    @Test
    void agentAndCliClassesConcatenateStringsWithoutInvokedynamic() throws Exception {
        for (String jar : List.of("castellan-agent.jar", "castellan.jar")) {
            Map<String, Boolean> classes = castellanClassesUsingIndyConcat(PackageAgent.jars().resolve(jar));
            assertThat(classes).as(jar).hasSizeGreaterThan(100);
            assertThat(classes.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey))
                    .as(jar + ": classes bootstrapping their string concatenation").isEmpty();
        }
        Map<String, Boolean> server = castellanClassesUsingIndyConcat(
                PackageAgent.jars().resolve("castellan-server.jar"));
        assertThat(server.values()).as("the server's classes keep javac's default").contains(true);
    }

    /** Each org/castellan class in a jar, and whether its constant pool names StringConcatFactory. */
    private static Map<String, Boolean> castellanClassesUsingIndyConcat(Path jar) throws Exception {
        Map<String, Boolean> classes = new java.util.TreeMap<>();
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
            for (java.util.zip.ZipEntry entry : java.util.Collections.list(zip.entries())) {
                if (entry.getName().startsWith("org/castellan/") && entry.getName().endsWith(".class")) {
                    try (java.io.InputStream in = zip.getInputStream(entry)) {
                        // Read as ISO-8859-1: one char per byte, so the class name in the pool is found as text.
                        String bytes = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
                        classes.put(entry.getName(), bytes.contains("java/lang/invoke/StringConcatFactory"));
                    }
                }
            }
        }
        return classes;
    }

    private static void assertOnlyRegularFilesAre(Map<String, DebFile.Entry> files, String... expected) {
        assertThat(files.values().stream().filter(e -> e.mode().startsWith("-")).map(DebFile.Entry::path))
                .containsExactlyInAnyOrder(expected);
    }
}
