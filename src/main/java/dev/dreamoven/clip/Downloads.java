package dev.dreamoven.clip;

import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.common.IoErrors;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Fetches a file whose SHA-256 is known (a CLIP checkpoint, the BPE vocabulary) into a cache
 * folder, once: the bytes go to {@code <file>.part}, a cut connection resumes from where it stopped
 * (HTTP {@code Range}), the SHA-256 is checked before the file is used, and only a verified file is
 * renamed (atomically) to its final name, so a reader never sees half a checkpoint. A file already in
 * the cache is checked too (a checkpoint put there by hand, or a disk that lost bytes).
 *
 * <p>Two threads, or two processes, that want the same file at once download it once: the first
 * holds a lock (a {@link ReentrantLock} per file inside this JVM and a {@link FileLock} on
 * {@code <file>.lock} across processes; the lock file stays, empty), the others wait and then find
 * the verified file.
 */
public final class Downloads {

    /** Tries of one download; each after the first resumes the partial file. */
    private static final int ATTEMPTS = 3;
    /** Redraw the progress bar at most this often. */
    private static final long PROGRESS_EVERY_NANOS = 200_000_000L;
    private static final int BAR_WIDTH = 24;

    /** Per-file locks of this JVM: {@link FileLock}s belong to the process, so threads need their own. */
    private static final ConcurrentHashMap<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

    private final int timeoutMillis;
    private final PrintStream progress;

    /** @param progress where the progress bar goes (stderr), or null for none */
    public Downloads(PrintStream progress) {
        this(progress, Duration.ofSeconds(20));
    }

    /**
     * @param timeout how long to wait for a connection before calling the machine offline, and for
     *     the next bytes before giving up a stalled connection (the next try resumes it)
     */
    public Downloads(PrintStream progress, Duration timeout) {
        this.timeoutMillis = (int) timeout.toMillis();
        this.progress = progress;
    }

    /**
     * The verified file {@code target}, downloaded from {@code url} first where it is missing or
     * does not match.
     *
     * @param sha256 lower-case hex
     * @param expectedBytes the published size, for the progress bar when the server sends none; 0 = unknown
     * @throws InvalidInputException with one line: offline (which URL to fetch and where to put
     *     it), the server refused, or the download did not match its SHA-256 (then it is deleted)
     */
    public Path fetch(URI url, String sha256, long expectedBytes, Path target) {
        Path file = target.toAbsolutePath().normalize();
        ReentrantLock inProcess = LOCKS.computeIfAbsent(file, f -> new ReentrantLock());
        inProcess.lock();
        try {
            Files.createDirectories(file.getParent());
            Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock crossProcess = channel.lock()) {
                if (Files.isRegularFile(file)) {
                    if (sha256(file).equals(sha256)) {
                        return file; // downloaded before, or by whoever held the lock while we waited
                    }
                    say(file.getFileName() + " in the cache does not match its SHA-256; downloading it again");
                    Files.delete(file);
                }
                return download(url, sha256, expectedBytes, file);
            }
        } catch (IOException e) {
            throw new InvalidInputException("cannot use the cache folder " + file.getParent() + " ("
                    + IoErrors.reason(e) + "): set model.cache to a writable folder", e);
        } finally {
            inProcess.unlock();
        }
    }

    private Path download(URI url, String sha256, long expectedBytes, Path file) throws IOException {
        Path part = file.resolveSibling(file.getFileName() + ".part");
        IOException failure = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                downloadOnce(url, part, expectedBytes, file.getFileName().toString());
                failure = null;
                break;
            } catch (RefusedException e) {
                throw new InvalidInputException("cannot download " + file.getFileName() + ": " + url + " answered HTTP "
                        + e.status + "; fetch it by hand and put it at " + file);
            } catch (IOException e) {
                failure = e;
                if (!connected(e)) {
                    break; // no connection at all: trying again only makes the user wait
                }
            }
        }
        if (failure != null) {
            boolean partial = Files.isRegularFile(part) && Files.size(part) > 0;
            throw new InvalidInputException("cannot download " + file.getFileName() + " (" + describe(failure)
                    + "): fetch " + url + " and put it at " + file
                    + (partial ? " (or run again to resume the partial download " + part.getFileName() + ")" : ""),
                    failure);
        }
        String actual = sha256(part);
        if (!actual.equals(sha256)) {
            Files.deleteIfExists(part);
            throw new InvalidInputException("the download of " + file.getFileName() + " from " + url
                    + " has SHA-256 " + actual + ", not " + sha256 + ": refused and deleted");
        }
        try {
            Files.move(part, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, file, StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }

    /** One request: the whole file, or the rest of it after what {@code part} already holds. */
    private void downloadOnce(URI url, Path part, long expectedBytes, String label) throws IOException {
        long have = Files.isRegularFile(part) ? Files.size(part) : 0;
        HttpURLConnection connection = (HttpURLConnection) url.toURL().openConnection();
        try {
            connection.setConnectTimeout(timeoutMillis);
            // A stalled connection fails after this long and the next try resumes it.
            connection.setReadTimeout(timeoutMillis);
            connection.setInstanceFollowRedirects(true);
            if (have > 0) {
                connection.setRequestProperty("Range", "bytes=" + have + "-");
            }
            int status = connection.getResponseCode();
            String contentRange = connection.getHeaderField("Content-Range");
            boolean append = status == 206 && contentRange != null && contentRange.startsWith("bytes " + have + "-");
            if (status == 416 && have > 0) {
                return; // the part is already whole (or wrong): the checksum decides
            }
            if (status != 200 && !append) {
                throw new RefusedException(status);
            }
            long start = append ? have : 0; // a 200 to a range request is the whole file: start again
            long length = connection.getContentLengthLong();
            long total = length >= 0 ? start + length : expectedBytes;
            try (InputStream in = connection.getInputStream();
                    OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                            append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
                byte[] buffer = new byte[1 << 16];
                long done = start;
                long drawn = 0;
                int n;
                try {
                    while ((n = in.read(buffer)) >= 0) {
                        out.write(buffer, 0, n);
                        done += n;
                        if (System.nanoTime() - drawn > PROGRESS_EVERY_NANOS) {
                            drawn = System.nanoTime();
                            bar(label, done, total);
                        }
                    }
                } finally {
                    bar(label, done, total);
                    if (progress != null) {
                        progress.println();
                    }
                }
                if (length >= 0 && done != total) {
                    throw new IOException("the connection closed after " + done + " of " + total + " bytes");
                }
            }
        } finally {
            connection.disconnect();
        }
    }

    /** {@code downloading RN50.pt [#########.......]  45%  115.2/255.8 MB}, redrawn in place. */
    private void bar(String label, long done, long total) {
        if (progress == null) {
            return;
        }
        String line;
        if (total > 0) {
            int filled = (int) Math.min(BAR_WIDTH, BAR_WIDTH * done / total);
            line = String.format(Locale.ROOT, "\rdownloading %s [%s%s] %3d%% %.1f/%.1f MB", label, "#".repeat(filled),
                    ".".repeat(BAR_WIDTH - filled), 100 * done / total, done / 1e6, total / 1e6);
        } else {
            line = String.format(Locale.ROOT, "\rdownloading %s %.1f MB", label, done / 1e6);
        }
        progress.print(line);
        progress.flush();
    }

    private void say(String line) {
        if (progress != null) {
            progress.println(line);
        }
    }

    /** Whether the failure came after a connection was made (so another try may get further). */
    private static boolean connected(IOException e) {
        return !(e instanceof ConnectException || e instanceof UnknownHostException
                || e instanceof NoRouteToHostException
                || (e instanceof SocketTimeoutException && "connect timed out".equals(e.getMessage())));
    }

    private static String describe(IOException e) {
        if (e instanceof UnknownHostException) {
            return "offline? unknown host " + e.getMessage();
        }
        if (!connected(e)) {
            return "offline? no connection";
        }
        return IoErrors.reason(e);
    }

    /** Lower-case hex SHA-256 of a file. */
    public static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The server answered, but not with the file (404, 403, …): trying again will not help. */
    private static final class RefusedException extends IOException {
        final int status;

        RefusedException(int status) {
            super("HTTP " + status);
            this.status = status;
        }
    }
}
