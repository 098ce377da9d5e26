package org.castellan.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Looks for secrets, byte for byte (UTF-8 and UTF-16), in every file under some directories. */
final class PlaintextScan {
    private PlaintextScan() {}

    static void assertAbsent(List<String> secrets, Path... roots) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path root : roots) {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(Files::isRegularFile).forEach(files::add);
            }
        }
        assertThat(files).as("there are files to scan").isNotEmpty();
        for (Path file : files) {
            byte[] content = Files.readAllBytes(file);
            for (String secret : secrets) {
                for (byte[] needle : new byte[][] {secret.getBytes(StandardCharsets.UTF_8),
                        secret.getBytes(StandardCharsets.UTF_16LE)}) {
                    assertThat(indexOf(content, needle)).as("secret found in plaintext in " + file).isEqualTo(-1);
                }
            }
        }
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
