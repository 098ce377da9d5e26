package org.castellan.agent.linux;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BiFunction;
import org.castellan.agent.spi.AdminRights;
import org.castellan.agent.spi.PlatformException;

/**
 * Just-in-time admin rights on Linux: a sudoers drop-in {@code /etc/sudoers.d/castellan-jit-USER}
 * ({@link SudoersDropIn}). It is written to a {@code .castellan-jit-USER.tmp} beside it (mode
 * 0440; sudo ignores names with a dot), checked with {@code visudo -cf}, and only then renamed
 * into place atomically: a drop-in sudo would refuse (which would break sudo for everyone) is
 * never installed. Revoking deletes the drop-in.
 */
public final class SudoersAdminRights implements AdminRights {
    public static final Path SUDOERS_D = Path.of("/etc/sudoers.d");
    private static final Duration VISUDO_TIMEOUT = Duration.ofSeconds(30);
    private final Path dir;
    private final BiFunction<String, Instant, String> render;

    public SudoersAdminRights() {
        this(SUDOERS_D, SudoersDropIn::render);
    }

    /** {@code render} is the drop-in's text; tests hand in a broken one to see it refused. */
    SudoersAdminRights(Path dir, BiFunction<String, Instant, String> render) {
        this.dir = dir;
        this.render = render;
    }

    @Override
    public boolean grant(String user, Instant notAfter) throws PlatformException {
        if (!SudoersDropIn.validUser(user)) {
            throw new PlatformException("unsupported-user", "user name '" + printable(user) + "' is not one sudoers can"
                    + " take safely here (lower-case letters, digits, _ and -, at most 32, not starting with a digit or -)");
        }
        Path target = dir.resolve(SudoersDropIn.fileName(user));
        Path temp = dir.resolve("." + SudoersDropIn.fileName(user) + ".tmp");
        try {
            if (!Files.isDirectory(dir)) {
                throw new PlatformException("no-sudoers-d", dir + " does not exist (is sudo installed?)");
            }
            Files.deleteIfExists(temp);
            try (FileChannel out = FileChannel.open(temp, java.util.Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("r--r-----")))) {
                out.write(java.nio.ByteBuffer.wrap(render.apply(user, notAfter).getBytes(StandardCharsets.UTF_8)));
                out.force(true);
            }
            String visudo = ProcessRunner.which("visudo", ProcessRunner.CLEAN_ENV.get("PATH")).toString();
            ProcessRunner.Result check = ProcessRunner.run(List.of(visudo, "-cf", temp.toString()), null, VISUDO_TIMEOUT);
            if (check.exitCode() != 0) {
                Files.deleteIfExists(temp);
                throw new PlatformException("sudoers-invalid", "visudo -cf refused the drop-in for " + user
                        + ", nothing installed: " + ProcessRunner.oneLine(check.output()));
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory();
            return true;
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // The temp name is skipped by sudo; the next grant replaces it.
            }
            throw new PlatformException("sudoers-write-failed", "install " + target + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void revoke(String user) throws PlatformException {
        if (!SudoersDropIn.validUser(user)) {
            return; // Never granted: grant() refuses such names.
        }
        Path target = dir.resolve(SudoersDropIn.fileName(user));
        try {
            if (Files.deleteIfExists(target)) {
                syncDirectory();
            }
        } catch (IOException e) {
            throw new PlatformException("sudoers-remove-failed", "remove " + target + ": " + e.getMessage(), e);
        }
    }

    private void syncDirectory() throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private static String printable(String user) {
        return user == null ? "" : user.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
