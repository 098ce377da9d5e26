package org.castellan.agent.diagnose;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.castellan.agent.spi.DiagnosticCheck;
import org.castellan.agent.state.StateDir;
import org.castellan.agent.state.StateLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

@DisabledOnOs(OS.WINDOWS)
class PosixStateDirCheckTest {
    @TempDir
    Path tmp;

    @Test
    void stateWrittenByTheAgentPassesIncludingItsLockFile() throws Exception {
        StateDir dir = new StateDir(tmp.resolve("state"));
        dir.create();
        dir.writeAtomically("agent.json", "{}".getBytes());
        try (StateLock lock = StateLock.acquire(dir)) {
            DiagnosticCheck check = PosixStateDirCheck.check(dir.path(), System.getProperty("user.name"));

            assertThat(check.status()).as(check.detail()).isEqualTo(DiagnosticCheck.Status.OK);
            assertThat(check.detail()).contains("rwx------", "2 entries");
        }
    }

    @Test
    void aFileReadableByOthersOrAnotherOwnerFails() throws Exception {
        StateDir dir = new StateDir(tmp.resolve("state"));
        dir.create();
        Path leaked = Files.writeString(dir.resolve("config.json"), "{}");
        Files.setPosixFilePermissions(leaked, PosixFilePermissions.fromString("rw-r--r--"));

        DiagnosticCheck check = PosixStateDirCheck.check(dir.path(), "someone-else");

        assertThat(check.status()).isEqualTo(DiagnosticCheck.Status.FAIL);
        assertThat(check.detail()).contains("config.json is rw-r--r--", "owned by");
    }
}
