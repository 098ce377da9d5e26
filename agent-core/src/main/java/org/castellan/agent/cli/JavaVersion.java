package org.castellan.agent.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.castellan.agent.AgentException;

/** The feature release of a {@code java} executable, from what {@code java -version} prints. */
final class JavaVersion {
    static final int REQUIRED = 17;
    // openjdk version "17.0.15" 2025-04-15 | java version "1.8.0_392" | openjdk version "21-ea"
    private static final Pattern VERSION = Pattern.compile("version \"(\\d+)(?:\\.(\\d+))?");

    private JavaVersion() {}

    /** The feature release in {@code java -version} output ("1.8" is 8), or -1 when there is none. */
    static int parse(String versionOutput) {
        Matcher m = VERSION.matcher(versionOutput);
        if (!m.find()) {
            return -1;
        }
        int first = Integer.parseInt(m.group(1));
        return first == 1 && m.group(2) != null ? Integer.parseInt(m.group(2)) : first;
    }

    /** Fails unless {@code java} runs and is Java 17 or later: the service would fail at every start. */
    static void require(Path java) throws AgentException {
        String output;
        try {
            Process process = new ProcessBuilder(List.of(java.toString(), "-version")).redirectErrorStream(true).start();
            process.getOutputStream().close();
            byte[] bytes = process.getInputStream().readNBytes(4096);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AgentException(java + " -version did not answer within 60 s");
            }
            output = new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AgentException("run " + java + " -version", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException("interrupted while running " + java + " -version", e);
        }
        int feature = parse(output);
        if (feature < REQUIRED) {
            throw new AgentException("the service would run " + java + ", which is "
                    + (feature < 0 ? "not a Java runtime it recognises" : "Java " + feature)
                    + "; the agent needs Java " + REQUIRED + " or later there (Debian: apt-get install"
                    + " default-jre-headless, or update-alternatives --config java)");
        }
    }
}
