package org.castellan.server.cli.agentpackage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where the Linux agent's files go, the same for the .deb, the .rpm and the .tar.gz: the jar
 * under /usr/share/castellan, its own Java runtime under /usr/lib/castellan-agent/runtime (so the
 * machine needs no Java), the launcher, the systemd units, and the root-only state directory with,
 * in a preconfigured package, config.json and the registration key (both 0600).
 */
final class LinuxLayout {
    static final String STATE_DIR = "/var/lib/castellan-agent";
    static final String LIB_DIR = "/usr/lib/castellan-agent";
    static final String KEY_FILE = STATE_DIR + "/registration-key";
    static final String CONFIG_FILE = STATE_DIR + "/config.json";

    private LinuxLayout() {}

    /**
     * @param unitDir {@code /lib/systemd/system} (Debian) or {@code /usr/lib/systemd/system} (rpm distributions)
     */
    static List<Entry> entries(AgentPayload payload, PackageSpec spec, String unitDir) throws IOException {
        List<Entry> entries = new ArrayList<>();
        entries.add(Entry.dir("/usr/share/castellan", 0755));
        entries.add(Entry.file("/usr/share/castellan/castellan-agent.jar", 0644, payload.file("castellan-agent.jar")));
        entries.add(Entry.file("/usr/bin/castellan-agent", 0755, payload.file("linux/castellan-agent")));
        entries.add(Entry.dir(LIB_DIR, 0755));
        entries.add(Entry.file(LIB_DIR + "/enrol", 0755, payload.file("linux/enrol")));
        entries.add(Entry.bytes(LIB_DIR + "/service-mode", 0644, (spec.mode() + "\n").getBytes(StandardCharsets.UTF_8)));
        addTree(entries, payload.linuxRuntime(), LIB_DIR + "/runtime");
        for (String unit : List.of("castellan-agent.service", "castellan-agent-checkin.service", "castellan-agent-checkin.timer")) {
            entries.add(Entry.file(unitDir + "/" + unit, 0644, payload.file("linux/" + unit)));
        }
        // The man page and completion scripts made from the agent's picocli model (in payloads built since).
        String[][] docs = {
            {"linux/docs/castellan-agent.1", "/usr/share/man/man1/castellan-agent.1"},
            {"linux/docs/bash/castellan-agent", "/usr/share/bash-completion/completions/castellan-agent"},
            {"linux/docs/zsh/_castellan-agent", "/usr/share/zsh/vendor-completions/_castellan-agent"},
            {"linux/docs/fish/castellan-agent.fish", "/usr/share/fish/vendor_completions.d/castellan-agent.fish"},
        };
        for (String[] doc : docs) {
            if (java.nio.file.Files.isRegularFile(payload.dir().resolve(doc[0]))) {
                entries.add(Entry.file(doc[1], 0644, payload.file(doc[0])));
            }
        }
        entries.add(Entry.dir(STATE_DIR, 0700));
        if (spec.preconfigured()) {
            entries.add(Entry.bytes(CONFIG_FILE, 0600, AgentConfigJson.write(spec.servers(), spec.fingerprint(), KEY_FILE)));
            entries.add(Entry.secretBytes(KEY_FILE, spec.key()));
        }
        return entries;
    }

    /**
     * Every directory and file under {@code source}, at {@code target}. Modes by path, not from the
     * payload's files (the server package installs those all 0644): the runtime's programs
     * (bin/, lib/jspawnhelper, lib/jexec) and shared libraries 0755, the rest 0644.
     */
    static void addTree(List<Entry> entries, Path source, String target) throws IOException {
        try (Stream<Path> walk = Files.walk(source)) {
            for (Path path : walk.sorted().toList()) {
                String relative = source.relativize(path).toString().replace('\\', '/');
                String installed = relative.isEmpty() ? target : target + "/" + relative;
                if (Files.isSymbolicLink(path)) {
                    throw new IOException("symbolic link in the agent runtime: " + path);
                }
                if (Files.isDirectory(path)) {
                    entries.add(Entry.dir(installed, 0755));
                } else {
                    boolean program = relative.startsWith("bin/") || relative.equals("lib/jspawnhelper")
                            || relative.equals("lib/jexec") || relative.endsWith(".so");
                    entries.add(Entry.file(installed, program ? 0755 : 0644, path));
                }
            }
        }
    }
}
