package dev.dreamoven.store;

import dev.dreamoven.common.IoErrors;
import dev.dreamoven.common.UnavailableException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * One live owner per database: an exclusive OS lock on the file {@code <database>.lock}, held by
 * the process that runs the database's render queue for as long as it runs. The operating system
 * drops the lock when that process ends in any way ({@code kill -9} included), so the next owner
 * never waits for a lease to expire, and a job found {@code running} by an owner that holds the
 * lock was left by a process that is gone. A second process that tries to own the database is
 * refused with one line naming the first one's pid.
 *
 * <p>The lock file holds the owner's pid and start time for that message. It is only ever opened
 * through the locking channel: on POSIX systems closing any other descriptor of the file would
 * release the lock.
 */
public final class OwnerLock implements AutoCloseable {

    /**
     * Lock files this process owns. Checked before the file is opened at all: closing a second
     * channel of a locked file would release this process's lock on some systems.
     */
    private static final java.util.Set<Path> OWNED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private boolean closed;

    private OwnerLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock file of a database. */
    public static Path lockFile(Path database) {
        return database.resolveSibling(database.getFileName() + ".lock");
    }

    /**
     * Becomes the owner of {@code database}.
     *
     * @param what what the owner runs, for the refusal ("the render queue")
     * @throws UnavailableException when another process (or another queue in this one) owns it
     */
    public static OwnerLock acquire(Path database, String what) {
        Path file = lockFile(database.toAbsolutePath().normalize());
        if (!OWNED.add(file)) {
            throw new UnavailableException("this process is already running " + what + " of " + database);
        }
        FileChannel channel = null;
        try {
            Files.createDirectories(file.getParent());
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                String holder = holder(channel);
                channel.close();
                OWNED.remove(file);
                throw new UnavailableException("another Dream Oven process" + (holder.isEmpty() ? "" : " (" + holder + ")")
                        + " is already running " + what + " of " + database + ": stop it first, or give this one "
                        + "its own store.database");
            }
            String me = "pid " + ProcessHandle.current().pid() + ", started " + Instant.now();
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(me.getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(false);
            return new OwnerLock(file, channel, lock);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            if (e instanceof UnavailableException u) {
                throw u;
            }
            OWNED.remove(file);
            throw new UnavailableException("cannot lock " + file + " to run " + what + ": " + (e instanceof IOException io ? IoErrors.reason(io) : e.toString()), e);
        }
    }

    /** Who holds the lock, as the holder wrote it ("pid 123, started …"); empty if unreadable. */
    private static String holder(FileChannel channel) {
        try {
            ByteBuffer b = ByteBuffer.allocate(200);
            int n = channel.read(b, 0);
            return n <= 0 ? "" : new String(b.array(), 0, n, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        }
    }

    public Path file() {
        return file;
    }

    /** Gives up ownership; the lock file stays (a new owner overwrites it). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            lock.release();
        } catch (IOException e) {
            // the channel's close below releases it too
        }
        closeQuietly(channel);
        OWNED.remove(file);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing more to release
            }
        }
    }
}
