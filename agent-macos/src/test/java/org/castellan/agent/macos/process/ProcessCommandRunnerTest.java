package org.castellan.agent.macos.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.castellan.testsupport.ProcessTree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real runner against /bin/sh, which exists on Linux and macOS alike. */
class ProcessCommandRunnerTest {
    private final ProcessCommandRunner runner = new ProcessCommandRunner();

    @Test
    void writesStdinAndCollectsBothStreamsAndTheExitCode() throws Exception {
        CommandResult result = runner.run(List.of("/bin/sh", "-c", "read line; echo \"got $line\"; echo oops >&2; exit 3"),
                "hello\n".getBytes(StandardCharsets.UTF_8));

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stdout()).isEqualTo("got hello\n");
        assertThat(result.stderr()).isEqualTo("oops\n");
        assertThat(result.combinedOutput()).isEqualTo("got hello\noops\n");
    }

    @Test
    void largeOutputDoesNotDeadlockWhileStdinIsWritten() throws Exception {
        byte[] input = new byte[512 * 1024];
        CommandResult result = runner.run(List.of("/bin/sh", "-c", "head -c 300000 /dev/zero | tr '\\0' x; cat > /dev/null"),
                input, Map.of(), Duration.ofSeconds(30));

        assertThat(result.stdout()).hasSize(300000);
    }

    @Test
    void passesEnvironmentAndForcesTheCLocale() throws Exception {
        CommandResult result = runner.run(List.of("/bin/sh", "-c", "echo \"$EXTRA $LC_ALL\""), new byte[0],
                Map.of("EXTRA", "yes"), Duration.ofSeconds(10));

        assertThat(result.stdout()).isEqualTo("yes C\n");
    }

    @Test
    void hangingProgramIsKilledAtTheTimeout() {
        assertThatThrownBy(() -> runner.run(List.of("/bin/sh", "-c", "sleep 30"), new byte[0], Map.of(), Duration.ofMillis(300)))
                .isInstanceOf(CommandException.class)
                .hasMessageContaining("did not finish");
    }

    /**
     * A program that never reads 4 MiB of input, and has started a child of its own: the runner
     * gives up at the timeout and kills both. (Process.destroyForcibly alone waited for the
     * blocked stdin writer, so the call lasted as long as the program.) The preemptive deadline
     * is far above the timeout: it turns a hang into a failure, it measures nothing.
     */
    @Test
    void programThatNeverReadsLargeInputIsKilledWithItsChildrenAtTheTimeout(@TempDir Path dir) throws Exception {
        byte[] input = new byte[4 * 1024 * 1024];
        Path pids = dir.resolve("pids");
        String script = "sleep 600 & echo $$ $! > " + pids + "; wait";

        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> assertThatThrownBy(
                () -> runner.run(List.of("/bin/sh", "-c", script), input, Map.of(), Duration.ofSeconds(3)))
                .isInstanceOf(CommandException.class)
                .hasMessageContaining("did not finish"));
        assertThat(ProcessTree.pidsIn(pids)).hasSize(2).allSatisfy(pid -> assertThat(ProcessTree.exitsSoon(pid))
                .as("process %d killed", pid).isTrue());
    }

    @Test
    void missingProgramIsACommandException() {
        assertThatThrownBy(() -> runner.run(List.of("/nonexistent/dscl")))
                .isInstanceOf(CommandException.class)
                .hasMessageContaining("/nonexistent/dscl");
    }
}
