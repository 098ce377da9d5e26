package org.castellan.agent.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.castellan.agent.spi.LuksHeader;
import org.castellan.agent.spi.LuksToken;
import org.castellan.agent.spi.LuksVolume;
import org.castellan.agent.spi.LuksVolumes;
import org.castellan.agent.spi.PlatformException;
import org.castellan.protocol.Secret;

/**
 * LUKS2 volumes through {@code lsblk}, {@code blkid} and {@code cryptsetup}. Output is parsed by
 * {@link LsblkParser}, {@link BlkidParser} and {@link LuksDumpParser}; this class only runs the
 * tools. A new passphrase goes to cryptsetup on stdin ({@code luksAddKey … -},
 * {@code --key-file -}); the unlock key is the policy's root-only file, named with
 * {@code --key-file}: no secret is ever an argument.
 *
 * <p>{@code CASTELLAN_LUKS_DEVICES} (comma-separated paths) replaces the lsblk discovery, e.g. for
 * a volume lsblk cannot see; {@code CASTELLAN_LUKS_FAST_KDF_FOR_TESTS=true} makes new slots use
 * PBKDF2 with 1000 iterations, for tests only (a real slot keeps cryptsetup's default KDF).
 */
final class LinuxLuksVolumes implements LuksVolumes {
    static final String DEVICES_ENV = "CASTELLAN_LUKS_DEVICES";
    static final String FAST_KDF_ENV = "CASTELLAN_LUKS_FAST_KDF_FOR_TESTS";
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    /** cryptsetup's exit code for "no key available with this passphrase". */
    private static final int WRONG_PASSPHRASE = 2;

    private final Map<String, String> env;

    LinuxLuksVolumes(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public List<LuksVolume> list() throws PlatformException {
        List<String> candidates;
        String named = env.get(DEVICES_ENV);
        if (named != null && !named.isBlank()) {
            candidates = Arrays.stream(named.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        } else {
            ProcessRunner.Result lsblk = run("lsblk", List.of("-J", "-p", "-o", "PATH,TYPE,FSTYPE,FSVER,UUID,MOUNTPOINT"),
                    null, "luks-list-failed");
            try {
                candidates = LsblkParser.luksCandidates(lsblk.output());
            } catch (IOException e) {
                throw new PlatformException("luks-list-failed", "parse lsblk output: " + e.getMessage(), e);
            }
        }
        List<LuksVolume> found = new ArrayList<>();
        for (String device : candidates) {
            ProcessRunner.Result probe = exec(List.of(tool("blkid"), "-p", "-o", "export", device), null, "luks-list-failed");
            // blkid exits 2 when it finds nothing it knows on the device: not LUKS, skip it.
            if (probe.exitCode() == 0) {
                BlkidParser.luks2Uuid(probe.output()).ifPresent(uuid -> found.add(new LuksVolume(uuid, device)));
            }
        }
        return found;
    }

    @Override
    public LuksHeader header(LuksVolume volume) throws PlatformException {
        ProcessRunner.Result dump = run("cryptsetup", List.of("luksDump", "--dump-json-metadata", volume.device()),
                null, "luks-dump-failed");
        try {
            return LuksDumpParser.header(dump.output());
        } catch (IOException e) {
            throw new PlatformException("luks-dump-failed", "parse luksDump of " + volume.device() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void checkUnlockKeyFile(Path file) throws PlatformException {
        try {
            PosixFileAttributes a = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isRegularFile()) {
                throw new PlatformException("luks-unlock-key-insecure", "is not a regular file (symlinks are refused)");
            }
            Object uid = Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            Set<PosixFilePermission> others = EnumSet.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
                    PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE,
                    PosixFilePermission.OTHERS_EXECUTE);
            others.retainAll(a.permissions());
            if (!Integer.valueOf(0).equals(uid) || !others.isEmpty()) {
                throw new PlatformException("luks-unlock-key-insecure",
                        "must be owned by root and readable by root only (chmod 0400 or 0600)");
            }
            if (a.size() == 0) {
                throw new PlatformException("luks-unlock-key-insecure", "is empty");
            }
        } catch (IOException | UnsupportedOperationException e) {
            throw new PlatformException("luks-unlock-key-missing", "cannot be read: " + e.getClass().getSimpleName(), e);
        }
    }

    @Override
    public void addKey(LuksVolume volume, int slot, Path unlockKeyFile, Secret newKey) throws PlatformException {
        List<String> args = new ArrayList<>(List.of("luksAddKey", "--batch-mode"));
        if ("true".equals(env.get(FAST_KDF_ENV))) {
            args.addAll(List.of("--pbkdf", "pbkdf2", "--pbkdf-force-iterations", "1000"));
        }
        args.addAll(List.of("--key-slot", String.valueOf(slot), "--key-file", unlockKeyFile.toString(),
                volume.device(), "-"));
        byte[] key = newKey.utf8();
        try {
            ProcessRunner.Result r = run("cryptsetup", args, key, "luks-add-key-failed");
            if (r.exitCode() != 0) {
                throw new PlatformException(r.exitCode() == WRONG_PASSPHRASE ? "luks-unlock-key-rejected" : "luks-add-key-failed",
                        "cryptsetup luksAddKey " + volume.device() + " slot " + slot + " exited with status "
                                + r.exitCode() + ": " + ProcessRunner.oneLine(r.output()));
            }
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    @Override
    public void tagSlot(LuksVolume volume, int slot, LuksToken token) throws PlatformException {
        byte[] json = LuksDumpParser.tokenJson(token).getBytes(StandardCharsets.UTF_8);
        checked(run("cryptsetup", List.of("token", "import", volume.device()), json, "luks-token-failed"),
                "token import", volume, "luks-token-failed");
    }

    @Override
    public boolean opens(LuksVolume volume, int slot, Secret key) throws PlatformException {
        byte[] bytes = key.utf8();
        try {
            ProcessRunner.Result r = run("cryptsetup", List.of("open", "--test-passphrase", "--key-slot",
                    String.valueOf(slot), "--key-file", "-", volume.device()), bytes, "luks-test-failed");
            if (r.exitCode() == 0) {
                return true;
            }
            if (r.exitCode() == WRONG_PASSPHRASE) {
                return false;
            }
            throw new PlatformException("luks-test-failed", "cryptsetup open --test-passphrase " + volume.device()
                    + " exited with status " + r.exitCode() + ": " + ProcessRunner.oneLine(r.output()));
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    @Override
    public void removeSlot(LuksVolume volume, int slot, Path unlockKeyFile) throws PlatformException {
        // Not batch mode: cryptsetup then insists the key file opens a slot that remains.
        checked(run("cryptsetup", List.of("luksKillSlot", "--key-file", unlockKeyFile.toString(), volume.device(),
                String.valueOf(slot)), new byte[0], "luks-kill-slot-failed"), "luksKillSlot " + slot, volume,
                "luks-kill-slot-failed");
    }

    @Override
    public void removeToken(LuksVolume volume, int tokenId) throws PlatformException {
        checked(run("cryptsetup", List.of("token", "remove", "--token-id", String.valueOf(tokenId), volume.device()),
                null, "luks-token-failed"), "token remove " + tokenId, volume, "luks-token-failed");
    }

    private static void checked(ProcessRunner.Result r, String what, LuksVolume volume, String code)
            throws PlatformException {
        if (r.exitCode() != 0) {
            throw new PlatformException(code, "cryptsetup " + what + " " + volume.device() + " exited with status "
                    + r.exitCode() + ": " + ProcessRunner.oneLine(r.output()));
        }
    }

    private ProcessRunner.Result run(String name, List<String> args, byte[] stdin, String code) throws PlatformException {
        List<String> command = new ArrayList<>();
        command.add(tool(name));
        command.addAll(args);
        ProcessRunner.Result r = exec(command, stdin, code);
        if ((name.equals("lsblk") || args.contains("luksDump")) && r.exitCode() != 0) {
            throw new PlatformException(code, String.join(" ", command) + " exited with status " + r.exitCode() + ": "
                    + ProcessRunner.oneLine(r.output()));
        }
        return r;
    }

    private static ProcessRunner.Result exec(List<String> command, byte[] stdin, String code) throws PlatformException {
        try {
            return ProcessRunner.run(command, stdin, TIMEOUT);
        } catch (IOException e) {
            throw new PlatformException(code, "run " + command.get(0) + ": " + e.getMessage(), e);
        }
    }

    private static String tool(String name) throws PlatformException {
        try {
            return ProcessRunner.which(name, ProcessRunner.CLEAN_ENV.get("PATH")).toString();
        } catch (IOException e) {
            throw new PlatformException("luks-tool-missing", name + " is not installed (Debian: "
                    + (name.equals("cryptsetup") ? "cryptsetup-bin" : "util-linux") + ")", e);
        }
    }

}
