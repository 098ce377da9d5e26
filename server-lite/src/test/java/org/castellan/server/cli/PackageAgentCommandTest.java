package org.castellan.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** package-agent refuses what must not become a package before it looks for anything to pack. */
class PackageAgentCommandTest {
    private static final String KEY = "crk_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG";
    private static final String FP = "ab".repeat(32);

    @TempDir
    Path dir;
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalErr;

    @BeforeEach
    void captureStderr() {
        originalErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreStderr() {
        System.setErr(originalErr);
    }

    private int run(String... args) {
        return ServerMain.execute(args);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aBareKeyIsRefusedWithoutForceAndNothingIsWritten() throws Exception {
        Path key = Files.writeString(dir.resolve("key"), KEY);
        Path out = Files.createDirectories(dir.resolve("out"));
        assertThat(run("package-agent", "--type", "deb", "--server", "https://s.example:8443", "--server-fingerprint", FP,
                "--registration-key-file", key.toString(), "--output", out.toString(),
                "--payload", dir.resolve("no-payload").toString())).isEqualTo(2);
        assertThat(err()).contains("bare key").contains("--force").doesNotContain(KEY);
        try (var files = Files.list(out)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void serverUrlsMustBeHttpsWithoutPathAndTypeMustFitTheOs() throws Exception {
        Path key = Files.writeString(dir.resolve("key"), KEY);
        assertThat(run("package-agent", "--type", "deb", "--server", "http://s.example", "--server-fingerprint", FP,
                "--registration-key-file", key.toString())).isEqualTo(2);
        assertThat(err()).contains("must be https://host[:port]");
        assertThat(run("package-agent", "--type", "msi", "--os", "linux", "--unconfigured")).isEqualTo(2);
        assertThat(err()).contains("is not made for --os linux");
        assertThat(run("package-agent", "--type", "deb")).isEqualTo(2);
        assertThat(err()).contains("--unconfigured for the plain package");
        assertThat(run("package-agent", "--type", "deb", "--unconfigured", "--server", "https://s")).isEqualTo(2);
        assertThat(err()).contains("--unconfigured takes no --server");
    }

    @Test
    void aMissingPayloadIsExplained() throws Exception {
        assertThat(run("package-agent", "--type", "deb", "--unconfigured", "--payload", dir.toString(),
                "--output", dir.toString())).isEqualTo(1);
        assertThat(err()).contains("no agent payload in " + dir);
    }
}
