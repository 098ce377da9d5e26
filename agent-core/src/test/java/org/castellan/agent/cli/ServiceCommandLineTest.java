package org.castellan.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.castellan.agent.AgentException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** What a service runs, on a file tree laid out like a system: never a JRE directory. */
@DisabledOnOs(OS.WINDOWS)
class ServiceCommandLineTest {
    private static final Path STATE = Path.of("/var/lib/castellan-agent");

    @TempDir
    Path root;

    @Test
    void packagedJarRunsThroughThePackagesLauncher() throws Exception {
        Path jar = file("usr/share/castellan/castellan-agent.jar", "rw-r--r--");
        Path launcher = file("usr/bin/castellan-agent", "rwxr-xr-x");
        List<Path> searchPath = List.of(javaIn("usr/bin").getParent());

        assertThat(ServiceCommandLine.forRun(STATE, jar.toString(), searchPath))
                .containsExactly(launcher.toString(), "run", "--state-dir", STATE.toString());
    }

    @Test
    void jarOutsideThePackageLayoutRunsOnTheServiceManagersJavaNotThisJvmsJreDirectory() throws Exception {
        Path jar = file("opt/castellan/castellan-agent.jar", "rw-r--r--");
        Path jdk = javaIn("usr/lib/jvm/java-17-openjdk-amd64/bin");
        Path link = root.resolve("usr/bin/java");
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, jdk);

        List<String> command = ServiceCommandLine.forRun(STATE, jar.toString(),
                List.of(root.resolve("usr/local/bin"), root.resolve("usr/bin")));

        assertThat(command).containsExactly(link.toString(), "-cp", jar.toString(), AgentMain.class.getName(),
                "run", "--state-dir", STATE.toString());
        assertThat(String.join(" ", command)).doesNotContain("jvm");
    }

    @Test
    void aLauncherWithoutJavaOnTheServiceSearchPathIsRefused() throws Exception {
        Path jar = file("usr/share/castellan/castellan-agent.jar", "rw-r--r--");
        file("usr/bin/castellan-agent", "rwxr-xr-x");
        javaIn("opt/jdk-17/bin"); // on some user's PATH, not on the service manager's

        assertThatThrownBy(() -> ServiceCommandLine.forRun(STATE, jar.toString(), List.of(root.resolve("usr/bin"))))
                .isInstanceOf(AgentException.class)
                .hasMessageContaining("no java in " + root.resolve("usr/bin"))
                .hasMessageContaining("default-jre-headless");
    }

    @Test
    void aNonExecutableLauncherOrAnotherJarNameIsNotTakenForThePackage() throws Exception {
        List<Path> searchPath = List.of(javaIn("usr/bin").getParent());
        Path jar = file("usr/share/castellan/castellan-agent.jar", "rw-r--r--");
        file("usr/bin/castellan-agent", "rw-r--r--");
        assertThat(ServiceCommandLine.forRun(STATE, jar.toString(), searchPath).get(1)).isEqualTo("-cp");

        Path other = file("usr/share/castellan/other.jar", "rw-r--r--");
        assertThat(ServiceCommandLine.packagedLauncher(other.toString())).isEmpty();
        assertThat(ServiceCommandLine.packagedLauncher("relative.jar")).isEmpty();
    }

    @Test
    void aServiceJavaOlderThan17IsRefusedBeforeAnythingIsWritten() throws Exception {
        Path jar = file("opt/castellan/castellan-agent.jar", "rw-r--r--");
        Path java = javaIn("usr/bin", "openjdk version \"11.0.22\" 2024-01-16");

        assertThatThrownBy(() -> ServiceCommandLine.forRun(STATE, jar.toString(), List.of(java.getParent())))
                .isInstanceOf(AgentException.class).hasMessageContaining(java + ", which is Java 11")
                .hasMessageContaining("needs Java 17 or later");
    }

    @Test
    void javaVersionOutputsOfEveryEraAreRead() {
        assertThat(JavaVersion.parse("openjdk version \"17.0.15\" 2025-04-15\nOpenJDK Runtime Environment")).isEqualTo(17);
        assertThat(JavaVersion.parse("java version \"1.8.0_392\"")).isEqualTo(8);
        assertThat(JavaVersion.parse("openjdk version \"21-ea\" 2023-09-19")).isEqualTo(21);
        assertThat(JavaVersion.parse("bash: java: command not found")).isEqualTo(-1);
    }

    private Path javaIn(String dir) throws Exception {
        return javaIn(dir, "openjdk version \"17.0.15\" 2025-04-15");
    }

    /** A stand-in java that prints {@code version} to stderr, as java -version does. */
    private Path javaIn(String dir, String version) throws Exception {
        Path java = file(dir + "/java", "rwxr-xr-x");
        Files.writeString(java, "#!/bin/sh\necho '" + version + "' >&2\n");
        return java;
    }

    private Path file(String relative, String mode) throws Exception {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }
}
