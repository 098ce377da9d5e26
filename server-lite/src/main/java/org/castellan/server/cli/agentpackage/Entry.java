package org.castellan.server.cli.agentpackage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One file or directory of a package: its path on the installed machine, its mode, and either a
 * source file or bytes made for this package (config.json, the registration key).
 *
 * @param path absolute path where it is installed, e.g. {@code /usr/bin/castellan-agent}
 * @param mode permission bits, e.g. {@code 0755}
 * @param secret whether the content must never be written anywhere but into the package
 */
public record Entry(String path, boolean directory, int mode, Path source, byte[] content, boolean secret) {

    public static Entry dir(String path, int mode) {
        return new Entry(path, true, mode, null, null, false);
    }

    public static Entry file(String path, int mode, Path source) {
        return new Entry(path, false, mode, source, null, false);
    }

    public static Entry bytes(String path, int mode, byte[] content) {
        return new Entry(path, false, mode, null, content, false);
    }

    /** A file holding a secret (the registration key): 0600 and only ever in memory here. */
    public static Entry secretBytes(String path, byte[] content) {
        return new Entry(path, false, 0600, null, content, true);
    }

    public long size() throws IOException {
        return content != null ? content.length : Files.size(source);
    }

    public InputStream open() throws IOException {
        return content != null ? new ByteArrayInputStream(content) : Files.newInputStream(source);
    }

    /** Clears a secret's bytes once the package is written. */
    public void wipe() {
        if (secret && content != null) {
            Arrays.fill(content, (byte) 0);
        }
    }

    /** The path without its leading slash, as archive formats want it. */
    public String relative() {
        return path.substring(1);
    }

    @Override
    public String toString() {
        return "Entry[" + path + " " + Integer.toOctalString(mode) + (secret ? " (secret)" : "") + "]";
    }
}
