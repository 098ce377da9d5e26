package org.castellan.server.cli.agentpackage;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The agent files a package is made of, as the build lays them out ({@code agent-payload/}: the
 * agent jar, the trimmed Linux runtime, launchers, units and install scripts per OS). Installed
 * with the server at {@code /usr/share/castellan/agent-payload}, next to the server jar; in a
 * build tree at {@code packaging/target/agent-payload}, also next to the server jar.
 */
public record AgentPayload(Path dir, String version) {

    public static AgentPayload at(Path dir) throws IOException {
        Path versionFile = dir.resolve("VERSION");
        if (!Files.isRegularFile(versionFile) || !Files.isRegularFile(dir.resolve("castellan-agent.jar"))) {
            throw new IOException("no agent payload in " + dir + " (expected VERSION and castellan-agent.jar;"
                    + " build with mvn -B package, or give --payload DIR)");
        }
        return new AgentPayload(dir.toAbsolutePath().normalize(), Files.readString(versionFile).strip());
    }

    /** The payload next to the running server jar. */
    public static AgentPayload besideServerJar() throws IOException {
        try {
            Path jar = Path.of(AgentPayload.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return at(jar.getParent().resolve("agent-payload"));
        } catch (URISyntaxException | NullPointerException e) {
            throw new IOException("cannot tell where the server jar is; give --payload DIR", e);
        }
    }

    public Path file(String relative) throws IOException {
        Path file = dir.resolve(relative);
        if (!Files.exists(file)) {
            throw new IOException("agent payload " + dir + " lacks " + relative);
        }
        return file;
    }

    public Path linuxRuntime() throws IOException {
        Path runtime = file("linux-x64/runtime");
        if (!Files.isRegularFile(runtime.resolve("bin/java"))) {
            throw new IOException("agent payload runtime " + runtime + " has no bin/java");
        }
        return runtime;
    }
}
