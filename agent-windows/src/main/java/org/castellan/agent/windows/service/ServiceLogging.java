package org.castellan.agent.windows.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.ConsoleHandler;
import java.util.logging.FileHandler;
import java.util.logging.Handler;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.castellan.agent.spi.PlatformException;

/**
 * A service has no valid stderr, so its log goes to rotating files in
 * {@code <state dir>\logs\castellan-agent.N.log} (java.util.logging; OkHttp logs there too).
 */
public final class ServiceLogging {
    static final int LIMIT_BYTES = 5 * 1024 * 1024;
    static final int COUNT = 5;
    static final String FORMAT = "%1$tFT%1$tT.%1$tL%1$tz %4$s %3$s: %5$s%6$s%n";

    private ServiceLogging() {}

    /** The FileHandler pattern for a log directory: '%' in the path escaped, %g the generation. */
    public static String pattern(Path logsDir) {
        return logsDir.resolve("castellan-agent.%g.log").toString().replace("%", "%%").replace("%%g.log", "%g.log");
    }

    /** Sends the root logger to the rotating files and away from the console. */
    public static void configure(Path stateDir) throws PlatformException {
        Path logs = stateDir.resolve("logs");
        try {
            Files.createDirectories(logs);
            System.setProperty("java.util.logging.SimpleFormatter.format", FORMAT);
            FileHandler file = new FileHandler(pattern(logs), LIMIT_BYTES, COUNT, true);
            file.setFormatter(new SimpleFormatter());
            Logger root = Logger.getLogger("");
            for (Handler handler : root.getHandlers()) {
                if (handler instanceof ConsoleHandler) {
                    root.removeHandler(handler);
                }
            }
            root.addHandler(file);
        } catch (IOException e) {
            throw new PlatformException("logging-failed", "open the service log in " + logs + ": " + e.getMessage(), e);
        }
    }
}
