package org.castellan.agent.windows.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.ConsoleHandler;
import java.util.logging.FileHandler;
import java.util.logging.Handler;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceLoggingTest {
    private Handler[] before;

    @AfterEach
    void restoreRootHandlers() {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
            if (h instanceof FileHandler) {
                h.close();
            }
        }
        if (before != null) {
            for (Handler h : before) {
                root.addHandler(h);
            }
        }
    }

    @Test
    void percentInTheDirectoryIsEscapedAndTheGenerationKept() {
        assertThat(ServiceLogging.pattern(Path.of("/tmp/50%/logs")))
                .isEqualTo("/tmp/50%%/logs/castellan-agent.%g.log");
    }

    @Test
    void logLinesGoToARotatingFileUnderLogsAndNotToTheConsole(@TempDir Path state) throws Exception {
        Logger root = Logger.getLogger("");
        before = root.getHandlers();
        root.addHandler(new ConsoleHandler());

        ServiceLogging.configure(state);
        Logger.getLogger("org.castellan.test").warning("check-in failed: server returned 503");
        for (Handler h : root.getHandlers()) {
            h.flush();
        }

        assertThat(root.getHandlers()).noneMatch(h -> h instanceof ConsoleHandler);
        Path log = state.resolve("logs").resolve("castellan-agent.0.log");
        assertThat(Files.readString(log)).contains("WARNING org.castellan.test: check-in failed: server returned 503");
    }
}
