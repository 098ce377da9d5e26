package org.castellan.agent.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.castellan.agent.cli.AgentMain;
import org.castellan.testsupport.Prerequisite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * {@code castellan-agent selftest --throwaway-account} and {@code diagnose} for real: the agent's
 * own CLI on {@link LinuxPlatform}, in a child JVM inside a private mount namespace whose /etc is a
 * copy, so useradd, chpasswd, libcrypt and userdel work on accounts that exist only in the copy.
 */
@EnabledOnOs(OS.LINUX)
class SelfTestNamespaceTest {
    /** One copy of /etc for the class (each test removes what it adds); a state directory per test. */
    static Path tmp;
    static Path etcCopy;
    static String hostPasswd;
    static String hostShadow;
    Path stateDir;

    record Run(int exit, String stdout) {}

    @BeforeAll
    static void namespaceWithCopiedEtc() throws Exception {
        Prerequisite.requireRoot("a mount namespace and useradd/chpasswd/userdel inside it");
        for (String tool : List.of("/usr/sbin/chpasswd", "/usr/sbin/useradd", "/usr/sbin/userdel")) {
            Prerequisite.requireExecutable(tool, "passwd");
        }
        Prerequisite.requireExecutable("/usr/bin/unshare", "util-linux");
        Run probe = run(List.of("unshare", "-m", "true"));
        Prerequisite.require(probe.exit() == 0, "unshare -m (" + probe.stdout().strip() + ")",
                "run as root on a host or container that allows mount namespaces");
        tmp = Files.createTempDirectory("castellan-selftest-ns");
        etcCopy = tmp.resolve("etc");
        hostPasswd = digest(Path.of("/etc/passwd"));
        hostShadow = digest(Path.of("/etc/shadow"));
        assertThat(run(List.of("cp", "-a", "/etc", etcCopy.toString())).exit()).isZero();
    }

    @BeforeEach
    void freshStateDir() throws Exception {
        stateDir = Files.createTempDirectory(tmp, "state");
        Files.delete(stateDir); // The agent creates it, 0700.
    }

    @AfterAll
    static void removeCopy() throws Exception {
        if (tmp != null) {
            run(List.of("rm", "-rf", "--one-file-system", tmp.toString()));
        }
    }

    private static List<String> inNamespace(String mainClass, String... args) {
        String java = ProcessHandle.current().info().command().orElseThrow();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of("unshare", "-m", "sh", "-c",
                "mount --bind \"$0\" /etc && exec \"$@\"", etcCopy.toString(), java, "-cp", classPath, mainClass));
        command.addAll(List.of(args));
        return command;
    }

    private Run agent(String... args) throws Exception {
        return run(inNamespace(AgentMain.class.getName(), args));
    }

    @Test
    void selftestPassesForRealAndLeavesNoAccount() throws Exception {
        Run result = agent("selftest", "--throwaway-account", "--state-dir", stateDir.toString());

        assertThat(result.exit()).as(result.stdout()).isZero();
        assertThat(result.stdout()).contains("castellan-agent selftest on linux",
                "[ok  ] create-account: created castellan-st-",
                "[ok  ] set-first-password: set through the production path",
                "[ok  ] prove-first-password: crypt(3) of the password matches the shadow entry",
                "a wrong password is refused", "the previous password is refused",
                "[ok  ] delete-account", "selftest passed");
        assertThat(Files.readString(etcCopy.resolve("passwd"))).doesNotContain("castellan-st-");
        assertThat(Files.readString(etcCopy.resolve("shadow"))).doesNotContain("castellan-st-");
        assertHostUntouched();
    }

    @Test
    void selftestKilledAfterCreatingTheAccountIsCleanedUpByTheNextRun() throws Exception {
        Process paused = new ProcessBuilder(inNamespace(PausingSelfTestMain.class.getName(), "selftest",
                "--throwaway-account", "--state-dir", stateDir.toString())).redirectErrorStream(true).start();
        String name = null;
        StringBuilder seen = new StringBuilder();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(paused.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                seen.append(line).append('\n');
                if (line.startsWith("PAUSED ")) {
                    name = line.substring("PAUSED ".length()).strip();
                    break;
                }
            }
            assertThat(name).as(seen.toString()).startsWith("castellan-st-");
            assertThat(Files.readString(etcCopy.resolve("passwd"))).contains(name + ":");
            paused.destroyForcibly(); // SIGKILL: no finally block, no clean-up.
            assertThat(paused.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(paused.exitValue()).isEqualTo(137);
        assertThat(Files.readString(etcCopy.resolve("passwd"))).as("the kill left the account").contains(name + ":");
        assertThat(stateDir.resolve("selftest-account.json")).exists();

        Run rerun = agent("selftest", "--throwaway-account", "--state-dir", stateDir.toString());

        assertThat(rerun.exit()).as(rerun.stdout()).isZero();
        assertThat(rerun.stdout()).contains("[ok  ] clean-up: deleted the throwaway account " + name
                + " left by an interrupted run", "selftest passed");
        assertThat(Files.readString(etcCopy.resolve("passwd"))).doesNotContain("castellan-st-");
        assertThat(stateDir.resolve("selftest-account.json")).doesNotExist();
        assertHostUntouched();
    }

    @Test
    void diagnoseRunsTheLinuxChecksForRealAndFailsWhileUnregistered() throws Exception {
        // The check names cryptsetup's version: without it the diagnosis says "skip", which is right
        // on such a machine, but not what this test looks for.
        Prerequisite.requireCommand("cryptsetup", "cryptsetup-bin");
        Run result = agent("diagnose", "--state-dir", stateDir.toString());

        assertThat(result.exit()).as(result.stdout()).isEqualTo(AgentMain.FAILED);
        assertThat(result.stdout()).contains("[fail] registration: not registered",
                "managed-account: root (0) present",
                "[ok  ] chpasswd: /usr/sbin/chpasswd (package passwd ",
                "[ok  ] useradd", "[ok  ] userdel",
                "[ok  ] libcrypt: crypt_r loads and gives the known SHA-512 answer",
                "[ok  ] machine-identity-sources: machine-id",
                "[ok  ] cryptsetup: cryptsetup 2.");
        assertHostUntouched();
    }

    private void assertHostUntouched() throws Exception {
        assertThat(digest(Path.of("/etc/passwd"))).isEqualTo(hostPasswd);
        assertThat(digest(Path.of("/etc/shadow"))).isEqualTo(hostShadow);
    }

    private static String digest(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private static Run run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(command.get(0) + " timed out");
        }
        return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
