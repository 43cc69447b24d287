package dev.dreamoven.bake;

import dev.dreamoven.clip.Safetensors;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The baked folder: one safetensors file per baked path, tensor {@code stages} [K, D] float32 and
 * the rest in {@code __metadata__} (format name and version, id, prompt, model id, resolution,
 * score, author, creation time, and each setting as {@code setting.<key>}).
 *
 * <p>File names are derived, never taken from user text: a slug of the prompt (lower-case ASCII
 * letters, digits and dashes, at most {@value #MAX_SLUG} characters) + {@code -} + the path's id +
 * {@value #SUFFIX}. Writes are atomic: the bytes go to a temp file in the same folder, which is
 * fsynced and then moved over the old file in one step, so a crash leaves either the old or the
 * new file, never a torn one. Temp files start with {@value #TEMP_PREFIX}; listings ignore them.
 */
public final class BakedPathFile {

    public static final String SUFFIX = ".bake.safetensors";
    public static final String FORMAT = "dreamoven.baked-path";
    public static final int FORMAT_VERSION = 1;
    static final String TEMP_PREFIX = ".tmp-";
    static final String TEMP_SUFFIX = ".partial";
    static final int MAX_SLUG = 60;
    /** Far above any real path (10 × 768 floats is 30 KB); refuses to read a stray huge file. */
    static final long MAX_FILE_BYTES = 64L * 1024 * 1024;
    private static final String SETTING = "setting.";
    private static final Logger LOG = LoggerFactory.getLogger(BakedPathFile.class);

    /** Runs between writing the temp file and moving it into place; tests make it throw. */
    @FunctionalInterface
    interface BeforeMove {
        void run(Path tempFile) throws IOException;
    }

    private final Path folder;
    private final BeforeMove beforeMove;

    public BakedPathFile(Path folder) {
        this(folder, temp -> { });
    }

    BakedPathFile(Path folder, BeforeMove beforeMove) {
        this.folder = folder.toAbsolutePath().normalize();
        this.beforeMove = beforeMove;
    }

    public Path folder() {
        return folder;
    }

    /** The file name of a path: slug of its prompt, its id, the suffix. */
    public static String fileName(BakedPath path) {
        return slug(path.prompt()) + "-" + path.id() + SUFFIX;
    }

    /** Lower-case ASCII letters and digits, other runs as one dash, at most {@value #MAX_SLUG} characters. */
    static String slug(String prompt) {
        String s = BakedPath.promptKey(prompt).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (s.length() > MAX_SLUG) {
            s = s.substring(0, MAX_SLUG).replaceAll("-+$", "");
        }
        return s.isEmpty() ? "path" : s;
    }

    /** Writes the path to its file atomically and returns the file. */
    public Path write(BakedPath path) throws IOException {
        Files.createDirectories(folder);
        Path target = folder.resolve(fileName(path));
        if (!target.getParent().equals(folder)) { // cannot happen with a slug; kept as the last guard
            throw new IllegalStateException("file name escapes the baked folder: " + target);
        }
        byte[] bytes = encode(path);
        Path temp = Files.createTempFile(folder, TEMP_PREFIX, TEMP_SUFFIX);
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            beforeMove.run(temp);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the baked folder " + folder + " does not support atomic renames", e);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        syncFolder();
        return target;
    }

    /** Makes the rename itself durable; not every file system lets a folder be opened, so best effort. */
    private void syncFolder() {
        try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("cannot fsync folder {}: {}", folder, e.toString());
        }
    }

    /** The bytes of a path's file. */
    public static byte[] encode(BakedPath path) {
        float[][] stages = path.stages();
        int k = stages.length;
        int d = stages[0].length;
        float[] flat = new float[k * d];
        for (int i = 0; i < k; i++) {
            System.arraycopy(stages[i], 0, flat, i * d, d);
        }
        Map<String, String> meta = new TreeMap<>();
        meta.put("format", FORMAT);
        meta.put("format_version", Integer.toString(FORMAT_VERSION));
        meta.put("id", path.id());
        meta.put("prompt", path.prompt());
        meta.put("model_id", path.modelId());
        meta.put("resolution", Integer.toString(path.resolution()));
        meta.put("score", Double.toString(path.score()));
        meta.put("author", path.author());
        meta.put("created_at", path.createdAt().toString());
        path.settings().forEach((key, value) -> meta.put(SETTING + key, value));
        Map<String, Safetensors.Tensor> tensors = new LinkedHashMap<>();
        tensors.put("stages", new Safetensors.Tensor(new long[] {k, d}, flat));
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + 4 * flat.length);
        try {
            Safetensors.write(out, tensors, meta);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        return out.toByteArray();
    }

    /** Reads one baked path file; an IOException names what is wrong with it. */
    public static BakedPath read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw new IOException(file.getFileName() + " is " + size + " bytes, too large for a baked path");
        }
        try {
            return decode(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IOException(file.getFileName() + ": " + e.getMessage(), e);
        }
    }

    /** Parses the bytes of a path's file. */
    public static BakedPath decode(byte[] bytes) throws IOException {
        Safetensors.Contents c = Safetensors.read(new ByteArrayInputStream(bytes));
        Map<String, String> meta = c.metadata();
        if (!FORMAT.equals(meta.get("format"))) {
            throw new IOException("not a Dream Oven baked path (format " + meta.get("format") + ")");
        }
        String version = meta.get("format_version");
        if (!Integer.toString(FORMAT_VERSION).equals(version)) {
            throw new IOException("baked path format version " + version + " is not supported (this build reads "
                    + FORMAT_VERSION + ")");
        }
        Safetensors.Tensor t = c.tensors().get("stages");
        if (t == null || t.shape().length != 2 || t.shape()[0] < 1 || t.shape()[1] < 1) {
            throw new IOException("tensor stages [K, D] is missing or has the wrong shape");
        }
        int k = (int) t.shape()[0];
        int d = (int) t.shape()[1];
        float[][] stages = new float[k][d];
        for (int i = 0; i < k; i++) {
            System.arraycopy(t.values(), i * d, stages[i], 0, d);
        }
        Map<String, String> settings = new TreeMap<>();
        meta.forEach((key, value) -> {
            if (key.startsWith(SETTING)) {
                settings.put(key.substring(SETTING.length()), value);
            }
        });
        try {
            return new BakedPath(required(meta, "id"), required(meta, "prompt"), required(meta, "model_id"),
                    Integer.parseInt(required(meta, "resolution")), stages, settings,
                    Double.parseDouble(required(meta, "score")), required(meta, "author"),
                    Instant.parse(required(meta, "created_at")));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new IOException("invalid baked path: " + e.getMessage(), e);
        }
    }

    private static String required(Map<String, String> meta, String key) throws IOException {
        String v = meta.get(key);
        if (v == null) {
            throw new IOException("metadata " + key + " is missing");
        }
        return v;
    }

    /** The baked path files in the folder, by name; temp files and anything else are ignored. */
    public List<Path> files() throws IOException {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return files;
        }
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(folder)) {
            for (Path p : dir) {
                String name = p.getFileName().toString();
                if (name.endsWith(SUFFIX) && !name.startsWith(".") && Files.isRegularFile(p)) {
                    files.add(p);
                }
            }
        }
        files.sort(null);
        return files;
    }

    /** The files of the path with this id (normally one; more only if someone copied files by hand). */
    public List<Path> filesWithId(String id) throws IOException {
        String tail = "-" + id.toLowerCase(Locale.ROOT) + SUFFIX;
        List<Path> found = new ArrayList<>();
        for (Path p : files()) {
            if (p.getFileName().toString().endsWith(tail)) {
                found.add(p);
            }
        }
        return found;
    }

    /**
     * Deletes temp files left by a crash that are older than {@code minAge} (younger ones may belong
     * to a write in progress in another process). Returns how many were deleted.
     */
    public int removeStrayTempFiles(Duration minAge) throws IOException {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        Instant cutoff = Instant.now().minus(minAge);
        int removed = 0;
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(folder, TEMP_PREFIX + "*" + TEMP_SUFFIX)) {
            for (Path p : dir) {
                try {
                    if (Files.isRegularFile(p) && Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) {
                        Files.delete(p);
                        removed++;
                        LOG.info("removed stray temp file {} left by an interrupted write", p.getFileName());
                    }
                } catch (NoSuchFileException gone) {
                    // another process cleaned it first
                }
            }
        }
        return removed;
    }
}
