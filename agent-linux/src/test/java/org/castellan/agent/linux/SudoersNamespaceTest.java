package org.castellan.agent.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.castellan.testsupport.Prerequisite;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Just-in-time sudo rights for real: the real sudo and visudo, each step in a private mount
 * namespace ({@code unshare -m}) over a copy of /etc, the agent's grant store and
 * {@link SudoersAdminRights} in a child JVM per step ({@link JitSudoMain}); sudo itself is asked
 * what the user may do ({@code sudo -l -U USER}). The host's /etc/sudoers.d is checked untouched.
 */
@EnabledOnOs(OS.LINUX)
class SudoersNamespaceTest {
    private static final String USER = "castellan-jit-it";
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    Path tmp;
    Path etcCopy;
    Path state;

    record Run(int exit, String stdout) {}

    @BeforeEach
    void namespaceWithCopiedEtc() throws Exception {
        Prerequisite.requireRoot("a mount namespace, useradd and sudoers drop-ins inside it");
        Prerequisite.requireExecutable("/usr/bin/unshare", "util-linux");
        Prerequisite.requireExecutable("/usr/sbin/useradd", "passwd");
        Prerequisite.requireExecutable("/usr/bin/sudo", "sudo");
        Prerequisite.requireExecutable("/usr/sbin/visudo", "sudo");
        Run probe = run(List.of("unshare", "-m", "sh", "-c", "mount --bind / /mnt && umount /mnt"));
        Prerequisite.require(probe.exit() == 0, "unshare -m with bind mounts (" + probe.stdout().strip() + ")",
                "run as root on a host or container that allows mount namespaces");
        tmp = Files.createTempDirectory("castellan-jit-etc");
        etcCopy = tmp.resolve("etc");
        state = tmp.resolve("agent-state");
        Run copy = run(List.of("cp", "-a", "/etc", etcCopy.toString()));
        assertThat(copy.exit()).as("cp -a /etc: %s", copy.stdout()).isZero();
        Run useradd = inNamespace("useradd -M -l -s /usr/sbin/nologin " + USER + " </dev/null");
        assertThat(useradd.exit()).as(useradd.stdout()).isZero();
    }

    @AfterEach
    void removeCopy() throws Exception {
        if (tmp == null) {
            return; // skipped before the namespace was made: nothing ran, nothing to check or remove
        }
        try (Stream<Path> host = Files.list(Path.of("/etc/sudoers.d"))) {
            assertThat(host.map(p -> p.getFileName().toString())).as("the host's sudoers.d is untouched")
                    .noneMatch(n -> n.contains("castellan-jit"));
        }
        if (tmp != null && tmp.getFileName().toString().startsWith("castellan-jit-etc")) {
            run(List.of("rm", "-rf", "--one-file-system", tmp.toString()));
        }
    }

    private Run inNamespace(String script) throws Exception {
        return run(List.of("unshare", "-m", "sh", "-c", "set -e\nmount --bind '" + etcCopy + "' /etc\n" + script));
    }

    private Run agent(String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        StringBuilder cmd = new StringBuilder("exec '" + java + "' -cp '" + classPath + "' " + JitSudoMain.class.getName());
        for (String arg : args) {
            cmd.append(" '").append(arg).append("'");
        }
        Run result = inNamespace(cmd.toString());
        assertThat(result.exit()).as(result.stdout()).isZero();
        return result;
    }

    /** The last line the child printed (the JVM may log before it). */
    private static String answer(Run run) {
        String[] lines = run.stdout().strip().split("\n");
        return lines[lines.length - 1].strip();
    }

    /** sudo's own answer: may the user run a command as root now? */
    private boolean sudoAllows() throws Exception {
        Run check = run(List.of("unshare", "-m", "sh", "-c", "mount --bind '" + etcCopy + "' /etc && exec sudo -l -U "
                + USER + " /usr/bin/true"));
        return check.exit() == 0;
    }

    private Run sudoList() throws Exception {
        return inNamespace("sudo -l -U " + USER);
    }

    private Path dropIn() {
        return etcCopy.resolve("sudoers.d").resolve("castellan-jit-" + USER);
    }

    private static void sleepUntil(Instant at) throws InterruptedException {
        long ms = Duration.between(Instant.now(), at).toMillis();
        if (ms > 0) {
            Thread.sleep(ms);
        }
    }

    @Test
    void aGrantIsListedBySudoAndSurvivesARestartAndTheSweepAfterItsEndRemovesTheDropIn() throws Exception {
        assertThat(sudoAllows()).as("no right before the grant").isFalse();
        // Long enough that the apply, the listing and the restart (three JVMs and two sudo runs)
        // finish before the end even on a loaded machine: the restart must see the grant running.
        Instant end = Instant.now().plusSeconds(20);

        assertThat(answer(agent(state.toString(), "apply", "g1", USER, Long.toString(end.getEpochSecond()))))
                .isEqualTo("g1:granted");

        Run listed = sudoList();
        assertThat(listed.stdout()).contains("User " + USER + " may run the following commands")
                .contains("(ALL : ALL) NOTAFTER=" + SudoersDropIn.sudoTime(Instant.ofEpochSecond(end.getEpochSecond())) + " ALL");
        assertThat(sudoAllows()).isTrue();
        assertThat(Files.getPosixFilePermissions(dropIn())).as("0440").hasSize(2);
        // A restart before the end (a fresh JVM reading the state dir) keeps the grant.
        assertThat(answer(agent(state.toString(), "sweep"))).isEqualTo("g1:granted");
        assertThat(Files.exists(dropIn())).isTrue();

        sleepUntil(end.plusSeconds(1));
        assertThat(answer(agent(state.toString(), "sweep"))).isEqualTo("g1:granted g1:expired");
        assertThat(Files.exists(dropIn())).isFalse();
        assertThat(sudoList().stdout()).doesNotContain("NOTAFTER");
        assertThat(sudoAllows()).isFalse();
    }

    @Test
    void withNoAgentRunningAtTheEndSudoItselfRefusesAfterNotAfter() throws Exception {
        Instant end = Instant.now().plusSeconds(5);
        agent(state.toString(), "apply", "g1", USER, Long.toString(end.getEpochSecond()));
        assertThat(sudoAllows()).isTrue();

        sleepUntil(end.plusSeconds(2));

        assertThat(Files.exists(dropIn())).as("nobody removed the drop-in").isTrue();
        assertThat(sudoAllows()).as("sudo refuses after NOTAFTER on its own").isFalse();
    }

    @Test
    void aDropInVisudoRefusesIsNeverInstalledAndSudoKeepsWorking() throws Exception {
        Instant end = Instant.now().plusSeconds(3600);

        String result = answer(agent("corrupt", USER, Long.toString(end.getEpochSecond())));

        assertThat(result).startsWith("failed sudoers-invalid visudo -cf refused");
        assertThat(Files.exists(dropIn())).isFalse();
        try (Stream<Path> files = Files.list(etcCopy.resolve("sudoers.d"))) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temp file left").noneMatch(n -> n.contains("castellan"));
        }
        assertThat(sudoAllows()).isFalse();
        Run whole = inNamespace("visudo -c");
        assertThat(whole.exit()).as("the sudoers configuration is still valid: " + whole.stdout()).isZero();
    }

    @Test
    void aLaterGrantReplacesTheDropInAtomicallyWithTheLaterEnd() throws Exception {
        Instant first = Instant.now().plusSeconds(600);
        agent(state.toString(), "apply", "g1", USER, Long.toString(first.getEpochSecond()));
        Instant second = first.plusSeconds(3600);

        agent(state.toString(), "apply", "g2", USER, Long.toString(second.getEpochSecond()));

        assertThat(Files.readString(dropIn())).contains("NOTAFTER=" + SudoersDropIn.sudoTime(Instant.ofEpochSecond(
                second.getEpochSecond())));
        assertThat(sudoList().stdout()).containsOnlyOnce("NOTAFTER=");
    }

    private static Run run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(command.get(0) + " timed out");
        }
        return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
