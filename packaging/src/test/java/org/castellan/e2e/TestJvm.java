package org.castellan.e2e;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code java -jar} command line of every server, CLI and agent process the tests start.
 *
 * <p>Those processes live for seconds, and the suite shares two cores: with the JVM's defaults
 * most of their CPU went to the C2 compiler and G1's threads, not to Castellan. Measured on the
 * server jar, start to listening: 5.8 CPU-s with the defaults, 2.7 with these flags; the CLI's
 * {@code --help}: 0.91 and 0.56 CPU-s. The flags change how fast code runs, never what it does
 * (the same ones ship in the CLI and agent launchers). The benchmark starts its server without
 * them ({@link ServerProcess#withDefaultJit()}): its figures are for the server as it ships.
 */
public final class TestJvm {
    /** C1 only, the serial collector, no perf-data file, the JDK's class-data archive. */
    public static final List<String> SHORT_LIVED = List.of(
            "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xshare:auto");

    private TestJvm() {}

    /** The test's own {@code java} binary. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** {@code java}, the flags above, {@code -jar JAR}; the caller adds the arguments. */
    public static List<String> jar(Path jar) {
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(SHORT_LIVED);
        command.add("-jar");
        command.add(jar.toString());
        return command;
    }
}
