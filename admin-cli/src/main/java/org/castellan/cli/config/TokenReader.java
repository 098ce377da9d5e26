package org.castellan.cli.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.function.Consumer;
import org.castellan.cli.CliException;
import org.castellan.cli.input.SecretLines;
import org.castellan.protocol.Secret;

/**
 * Reads an API token from a file or standard input, so it never has to be a process argument
 * (promise 5). Only the first line counts; surrounding whitespace is dropped.
 */
final class TokenReader {
    private TokenReader() {}

    static Secret fromStdin(InputStream stdin) {
        return SecretLines.firstLine(stdin, "token", "standard input", true);
    }

    static Secret fromFile(Path file, Consumer<String> warn) {
        Set<PosixFilePermission> permissions = Files.isRegularFile(file) ? ConfigFile.FilePermissions.posixOrNull(file) : null;
        if (permissions != null && ConfigFile.FilePermissions.othersCanRead(permissions)) {
            warn.accept("token file " + file + " is readable by group or others; run: chmod 600 " + file);
        }
        try (InputStream in = Files.newInputStream(file)) {
            return SecretLines.firstLine(in, "token", "token file " + file, true);
        } catch (IOException e) {
            throw new CliException(CliException.FAILED, "cannot read token file " + file + ": " + e, e);
        }
    }
}
