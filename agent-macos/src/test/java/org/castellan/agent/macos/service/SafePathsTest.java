package org.castellan.agent.macos.service;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.castellan.agent.spi.PlatformException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafePathsTest {
    private static final String JAVA = "/Library/Java/JavaVirtualMachines/temurin-17.jdk/Contents/Home/bin/java";

    @Test
    void rootOwnedChainIsAccepted() {
        assertThatCode(() -> new SafePaths(new FakePathOwnership()).requireRootOwned(Path.of(JAVA), "java executable"))
                .doesNotThrowAnyException();
    }

    @Test
    void fileOwnedByAnotherUserIsRefused() {
        FakePathOwnership ownership = new FakePathOwnership().owner(JAVA, "alice", "rwxr-xr-x");

        assertUnsafe(ownership, JAVA, "owned by alice");
    }

    @Test
    void groupWritableParentDirectoryIsRefused() {
        FakePathOwnership ownership = new FakePathOwnership().owner("/Library/Java", "root", "rwxrwxr-x");

        assertUnsafe(ownership, JAVA, "/Library/Java is group- or world-writable");
    }

    @Test
    void worldWritableDirectoryIsRefusedEvenWhenRootOwned() {
        FakePathOwnership ownership = new FakePathOwnership().owner("/tmp", "root", "rwxrwxrwx");

        assertUnsafe(ownership, "/tmp/castellan-agent.jar", "/tmp");
    }

    @Test
    void linkIsJudgedByWhereItPoints() {
        FakePathOwnership ownership = new FakePathOwnership()
                .link("/usr/local/bin/java", "/Users/alice/jdk/bin/java")
                .owner("/Users/alice", "alice", "rwxr-xr-x");

        assertUnsafe(ownership, "/usr/local/bin/java", "/Users/alice is owned by alice");
    }

    @Test
    void realFileSystemPathNotOwnedByRootIsRefused(@TempDir Path temp) throws Exception {
        // The temp dir is the test user's, or under world-writable /tmp when tests run as root.
        Path jar = Files.writeString(temp.resolve("agent.jar"), "jar");

        assertThatThrownBy(() -> new SafePaths(new PosixPathOwnership()).requireRootOwned(jar, "agent jar"))
                .isInstanceOfSatisfying(PlatformException.class, e -> org.assertj.core.api.Assertions.assertThat(e.code()).isEqualTo("unsafe-path"));
    }

    private static void assertUnsafe(FakePathOwnership ownership, String path, String reason) {
        assertThatThrownBy(() -> new SafePaths(ownership).requireRootOwned(Path.of(path), "java executable"))
                .isInstanceOfSatisfying(PlatformException.class, e -> {
                    org.assertj.core.api.Assertions.assertThat(e.code()).isEqualTo("unsafe-path");
                    org.assertj.core.api.Assertions.assertThat(e.getMessage()).contains(reason);
                });
    }
}
