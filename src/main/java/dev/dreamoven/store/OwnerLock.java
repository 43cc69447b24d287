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
 *
 * <p>Render workers and bots that share one SQLite file ({@code serve --role worker|bot}) take the
 * same lock shared ({@link #share}): they exclude a single owner, and it excludes them, but not each
 * other.
 */
public final class OwnerLock implements AutoCloseable {

    /**
     * Lock files this process owns. Checked before the file is opened at all: closing a second
     * channel of a locked file would release this process's lock on some systems.
     */
    private static final java.util.Set<Path> OWNED = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /**
     * Shared holds of this process by lock file: the first sharer takes the OS lock, the last one
     * releases it (the JVM refuses two overlapping locks of one file, shared or not).
     */
    private static final java.util.Map<Path, SharedHold> SHARED = new java.util.HashMap<>();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final SharedHold shared;
    private boolean closed;

    private OwnerLock(Path file, FileChannel channel, FileLock lock, SharedHold shared) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        this.shared = shared;
    }

    private static final class SharedHold {
        final FileChannel channel;
        final FileLock lock;
        int holders;

        SharedHold(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }
    }

    /**
     * Takes a share of {@code database}: any number of processes (and holders in this one) may, but
     * not while a single owner ({@link #acquire}) has it.
     *
     * @param what what the sharer runs, for the refusal ("a render worker")
     * @throws UnavailableException when a single owner runs the database's queue
     */
    public static OwnerLock share(Path database, String what) {
        Path file = lockFile(database.toAbsolutePath().normalize());
        synchronized (SHARED) {
            if (OWNED.contains(file)) {
                throw new UnavailableException("this process runs the render queue of " + database
                        + " alone; it cannot also run " + what + " of it");
            }
            SharedHold hold = SHARED.get(file);
            if (hold == null) {
                FileChannel channel = null;
                try {
                    Files.createDirectories(file.getParent());
                    channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                            StandardOpenOption.WRITE);
                    FileLock lock = channel.tryLock(0, Long.MAX_VALUE, true);
                    if (lock == null) {
                        String holder = holder(channel);
                        channel.close();
                        throw new UnavailableException("another Dream Oven process" + (holder.isEmpty() ? ""
                                : " (" + holder + ")") + " runs the render queue of " + database + " alone (serve "
                                + "without --role, or console): stop it first; workers and bots share a database "
                                + "only with each other");
                    }
                    hold = new SharedHold(channel, lock);
                    SHARED.put(file, hold);
                } catch (IOException e) {
                    closeQuietly(channel);
                    throw new UnavailableException("cannot lock " + file + " to run " + what + ": "
                            + IoErrors.reason(e), e);
                }
            }
            hold.holders++;
            return new OwnerLock(file, hold.channel, hold.lock, hold);
        }
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
        synchronized (SHARED) {
            if (SHARED.containsKey(file)) {
                throw new UnavailableException("this process runs workers or bots of " + database
                        + "; it cannot also run " + what + " of it alone");
            }
            if (!OWNED.add(file)) {
                throw new UnavailableException("this process is already running " + what + " of " + database);
            }
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
            return new OwnerLock(file, channel, lock, null);
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
        if (shared != null) {
            synchronized (SHARED) {
                if (--shared.holders > 0) {
                    return;
                }
                SHARED.remove(file);
            }
        } else {
            try {
                // sharers that come next must not name this owner as the one in their way
                channel.truncate(0);
            } catch (IOException e) {
                // a stale name in a refusal, no more
            }
        }
        try {
            lock.release();
        } catch (IOException e) {
            // the channel's close below releases it too
        }
        closeQuietly(channel);
        if (shared == null) {
            OWNED.remove(file);
        }
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
