package org.castellan.agent.fake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

/** Finds files under a directory that contain a secret, raw or base64. */
public final class SecretScan {
    private SecretScan() {}

    public static List<Path> filesContaining(Path root, String secret) {
        List<Path> hits = new ArrayList<>();
        byte[] raw = secret.getBytes(StandardCharsets.UTF_8);
        byte[] b64 = Base64.getEncoder().encodeToString(raw).getBytes(StandardCharsets.US_ASCII);
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                byte[] content = Files.readAllBytes(file);
                if (indexOf(content, raw) >= 0 || indexOf(content, b64) >= 0) {
                    hits.add(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return hits;
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
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
