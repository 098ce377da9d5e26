package org.castellan.agent.spi;

import java.nio.file.Path;
import java.util.List;
import org.castellan.protocol.Secret;

/**
 * The LUKS2 volumes of this machine and their key slots (Linux: {@code lsblk}, {@code blkid},
 * {@code cryptsetup}). Every secret reaches the tool on stdin or as a key file the caller names,
 * never as an argument. The platform-neutral flow ({@code LuksKeyKeeper}) decides what to change.
 */
public interface LuksVolumes {
    LuksVolumes NONE = new LuksVolumes() {
        @Override
        public List<LuksVolume> list() {
            return List.of();
        }

        @Override
        public LuksHeader header(LuksVolume volume) throws PlatformException {
            throw unsupported();
        }

        @Override
        public void checkUnlockKeyFile(Path file) throws PlatformException {
            throw unsupported();
        }

        @Override
        public void addKey(LuksVolume volume, int slot, Path unlockKeyFile, Secret newKey) throws PlatformException {
            throw unsupported();
        }

        @Override
        public void tagSlot(LuksVolume volume, int slot, LuksToken token) throws PlatformException {
            throw unsupported();
        }

        @Override
        public boolean opens(LuksVolume volume, int slot, Secret key) throws PlatformException {
            throw unsupported();
        }

        @Override
        public void removeSlot(LuksVolume volume, int slot, Path unlockKeyFile) throws PlatformException {
            throw unsupported();
        }

        @Override
        public void removeToken(LuksVolume volume, int tokenId) throws PlatformException {
            throw unsupported();
        }

        private PlatformException unsupported() {
            return new PlatformException("unsupported", "this platform has no LUKS volumes");
        }
    };

    /** The LUKS2 volumes found (LUKS1 has no tokens and is left alone). */
    List<LuksVolume> list() throws PlatformException;

    /** The volume's active key slots and tokens, read fresh. */
    LuksHeader header(LuksVolume volume) throws PlatformException;

    /** Fails unless {@code file} is a regular file owned by root and readable by nobody else (no symlink). */
    void checkUnlockKeyFile(Path file) throws PlatformException;

    /** {@code luksAddKey} into {@code slot}, unlocked by the key file, the new key on stdin. */
    void addKey(LuksVolume volume, int slot, Path unlockKeyFile, Secret newKey) throws PlatformException;

    /** Imports {@code token} into the header, bound to {@code slot}. */
    void tagSlot(LuksVolume volume, int slot, LuksToken token) throws PlatformException;

    /** {@code open --test-passphrase} of {@code slot} alone with {@code key} on stdin: does it open the volume? */
    boolean opens(LuksVolume volume, int slot, Secret key) throws PlatformException;

    /** {@code luksKillSlot}, proving a remaining key with the unlock key file. */
    void removeSlot(LuksVolume volume, int slot, Path unlockKeyFile) throws PlatformException;

    void removeToken(LuksVolume volume, int tokenId) throws PlatformException;
}
