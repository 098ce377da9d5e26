package org.castellan.agent.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.castellan.testsupport.ProcessTree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner every Linux tool call goes through, against the real /bin/sh. */
class ProcessRunnerTest {

    @Test
    void writesStdinAndReturnsTheExitCodeAndOutputInTheCleanEnvironment() throws Exception {
        ProcessRunner.Result result = ProcessRunner.run(List.of("/bin/sh", "-c",
                        "read line; echo \"got $line $LC_ALL ${CASTELLAN_REGISTRATION_KEY:-unset}\"; exit 4"),
                "hello\n".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(30));

        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(result.output()).isEqualTo("got hello C unset");
    }

    /**
     * A tool that never reads 4 MiB of input (far beyond a pipe's buffer) and has started a child:
     * the call ends at the timeout and both are killed. The stdin write used to block the calling
     * thread, so the timeout was never reached. The preemptive deadline turns a hang into a
     * failure; it measures nothing.
     */
    @Test
    void aToolThatNeverReadsLargeInputIsKilledWithItsChildrenAtTheTimeout(@TempDir Path dir) throws Exception {
        Path pids = dir.resolve("pids");
        String script = "sleep 600 & echo $$ $! > " + pids + "; wait";

        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> assertThatThrownBy(
                () -> ProcessRunner.run(List.of("/bin/sh", "-c", script), new byte[4 * 1024 * 1024], Duration.ofSeconds(3)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("did not finish within 3 s and was killed"));
        assertThat(ProcessTree.pidsIn(pids)).hasSize(2).allSatisfy(pid -> assertThat(ProcessTree.exitsSoon(pid))
                .as("process %d killed", pid).isTrue());
    }
}
