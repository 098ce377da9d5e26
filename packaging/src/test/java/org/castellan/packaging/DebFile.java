package org.castellan.packaging;

import org.castellan.testsupport.Prerequisite;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** A .deb built by this module, read with the real dpkg-deb. */
record DebFile(String packageName, Path path) {

    /** One entry of {@code dpkg-deb --contents}: e.g. mode "-rwxr-xr-x", owner "root/root". */
    record Entry(String mode, String owner, String path) {}

    static void assumeDpkgDeb() {
        Prerequisite.require(Command.available("dpkg-deb"), "dpkg-deb (the .deb packages cannot be inspected)",
                "apt-get install -y dpkg");
    }

    /** The single {@code castellan-NAME_VERSION_all.deb} (the agent: {@code _amd64.deb}) in the build directory. */
    static DebFile built(String packageName) throws IOException {
        Path dir = Path.of(System.getProperty("castellan.jars", "target")).toAbsolutePath();
        List<Path> matches;
        try (Stream<Path> files = Files.list(dir)) {
            matches = files.filter(p -> p.getFileName().toString().startsWith(packageName + "_")
                    && (p.getFileName().toString().endsWith("_all.deb")
                    || p.getFileName().toString().endsWith("_amd64.deb"))).toList();
        }
        assertThat(matches).as("exactly one %s_*_all.deb in %s", packageName, dir).hasSize(1);
        return new DebFile(packageName, matches.get(0));
    }

    String field(String name) throws Exception {
        Command.Result result = Command.run(List.of("dpkg-deb", "--field", path.toString(), name));
        assertThat(result.exitCode()).as("dpkg-deb --field %s: %s", name, result.describe()).isZero();
        return result.stdout().strip();
    }

    String info() throws Exception {
        Command.Result result = Command.run(List.of("dpkg-deb", "--info", path.toString()));
        assertThat(result.exitCode()).as("dpkg-deb --info: " + result.describe()).isZero();
        return result.stdout();
    }

    /** Path (without the leading ".", directories without the trailing "/") to entry. */
    Map<String, Entry> contents() throws Exception {
        Command.Result result = Command.run(List.of("dpkg-deb", "--contents", path.toString()));
        assertThat(result.exitCode()).as("dpkg-deb --contents: " + result.describe()).isZero();
        Map<String, Entry> entries = new TreeMap<>();
        for (String line : result.stdout().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            // drwxr-xr-x root/root         0 2026-11-22 02:22 ./usr/share/
            String[] columns = line.trim().split("\\s+", 6);
            String file = columns[5].replaceFirst("^\\.", "").replaceFirst("(.)/$", "$1");
            entries.put(file, new Entry(columns[0], columns[1], file));
        }
        return entries;
    }

    /** Unpacks the data archive into {@code root}, as {@code dpkg-deb -x} does. */
    void extractTo(Path root) throws Exception {
        Command.Result result = Command.run(List.of("dpkg-deb", "-x", path.toString(), root.toString()));
        assertThat(result.exitCode()).as("dpkg-deb -x: " + result.describe()).isZero();
    }

    /** Unpacks the control archive (control, maintainer scripts) into {@code dir}. */
    void extractControlTo(Path dir) throws Exception {
        Command.Result result = Command.run(List.of("dpkg-deb", "-e", path.toString(), dir.toString()));
        assertThat(result.exitCode()).as("dpkg-deb -e: " + result.describe()).isZero();
    }
}
