package org.castellan.agent.state;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.StandardOpenOption;
import org.castellan.agent.AgentException;

/**
 * An exclusive lock on the state directory, so a manual {@code check-in} and the service loop
 * never run two rotations against one journal at once.
 */
public final class StateLock implements AutoCloseable {
    public static final String FILE = "agent.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private StateLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock, or fails at once if another agent process holds it. */
    public static StateLock acquire(StateDir dir) throws AgentException {
        FileChannel channel = null;
        try {
            // Owner-only like every file in the state directory (start-up refuses any other mode).
            channel = dir.path().getFileSystem().supportedFileAttributeViews().contains("posix")
                    ? FileChannel.open(dir.resolve(FILE), java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                            java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")))
                    : FileChannel.open(dir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new AgentException("another castellan-agent is working on " + dir
                        + " (it holds " + dir.resolve(FILE) + "); try again shortly");
            }
            return new StateLock(channel, lock);
        } catch (IOException | OverlappingFileLockException e) {
            closeQuietly(channel);
            if (e instanceof OverlappingFileLockException) {
                throw new AgentException("another check-in is already running in this process on " + dir);
            }
            throw new AgentException("lock state directory " + dir, e);
        } catch (AgentException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Nothing was locked; the close failure changes nothing.
            }
        }
    }

    @Override
    public void close() throws AgentException {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new AgentException("release lock on state directory", e);
        }
    }
}
