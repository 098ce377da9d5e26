package org.castellan.server.cli.agentpackage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/** The .tar.gz packages: Linux (self-contained, with install.sh) and macOS (jar, launchd plists, install.sh). */
final class OtherLayouts {
    private OtherLayouts() {}

    /** Linux: {@code install.sh}, {@code uninstall.sh}, {@code files.txt} and the installed tree under {@code root/}. */
    static List<Entry> linuxTar(AgentPayload payload, PackageSpec spec) throws IOException {
        List<Entry> installed = LinuxLayout.entries(payload, spec, "/usr/lib/systemd/system");
        List<Entry> entries = new ArrayList<>();
        entries.add(Entry.file("/install.sh", 0755, payload.file("linux/tar/install.sh")));
        entries.add(Entry.file("/uninstall.sh", 0755, payload.file("linux/tar/uninstall.sh")));
        StringBuilder files = new StringBuilder();
        for (Entry entry : installed) {
            if (!entry.directory() && !entry.path().startsWith(LinuxLayout.STATE_DIR + "/")) {
                files.append(entry.path()).append('\n');
            }
        }
        entries.add(Entry.bytes("/files.txt", 0644, files.toString().getBytes(StandardCharsets.UTF_8)));
        entries.add(Entry.dir("/root", 0755));
        for (Entry entry : installed) {
            entries.add(new Entry("/root" + entry.path(), entry.directory(), entry.mode(), entry.source(),
                    entry.content(), entry.secret()));
        }
        addParents(entries);
        return entries;
    }

    /** macOS: needs a Java 17+ installed there; install.sh puts it in place and loads the launchd daemon. */
    static List<Entry> macos(AgentPayload payload, PackageSpec spec) throws IOException {
        List<Entry> entries = new ArrayList<>();
        entries.add(Entry.bytes("/install.sh", 0755, withMode(payload, "macos/install.sh", spec.mode())));
        entries.add(Entry.file("/uninstall.sh", 0755, payload.file("macos/uninstall.sh")));
        entries.add(Entry.file("/castellan-agent", 0755, payload.file("macos/castellan-agent")));
        entries.add(Entry.file("/castellan-agent.jar", 0644, payload.file("castellan-agent.jar")));
        for (String mode : List.of("service", "timer")) {
            String plist = "org.castellan.agent." + mode + ".plist";
            entries.add(Entry.file("/" + plist, 0644, payload.file("macos/" + plist)));
        }
        if (spec.preconfigured()) {
            entries.add(Entry.bytes("/config.json", 0600, AgentConfigJson.write(spec.servers(), spec.fingerprint(),
                    "/Library/Application Support/Castellan/registration-key")));
            entries.add(Entry.secretBytes("/registration-key", spec.key()));
        }
        return entries;
    }

    static byte[] withMode(AgentPayload payload, String script, String mode) throws IOException {
        return Files.readString(payload.file(script), StandardCharsets.UTF_8).replace("@MODE@", mode)
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Tar archives list every directory before what is in it; adds those the layout leaves implicit. */
    private static void addParents(List<Entry> entries) {
        java.util.Set<String> dirs = new java.util.HashSet<>();
        for (Entry entry : entries) {
            if (entry.directory()) {
                dirs.add(entry.path());
            }
        }
        List<Entry> withParents = new ArrayList<>();
        for (Entry entry : entries) {
            String path = entry.path();
            List<String> missing = new ArrayList<>();
            for (int slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
                String parent = path.substring(0, slash);
                if (dirs.add(parent)) {
                    missing.add(0, parent);
                }
            }
            missing.forEach(dir -> withParents.add(Entry.dir(dir, 0755)));
            withParents.add(entry);
        }
        entries.clear();
        entries.addAll(withParents);
    }
}
