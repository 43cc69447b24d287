package dev.dreamoven.bake;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.dreamoven.store.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The baked paths: the files of the baked folder ({@link BakedPathFile}) and their index in the
 * database (table {@code baked_paths}: summary, file name, and the prompt's normalized text embedding
 * under the path's model, for nearest-match look-ups).
 *
 * <p>On SQLite the files are the truth; the index is rebuilt from them by {@link #reindex()}, and
 * brought in step cheaply when the store opens (new files read, rows of vanished files dropped, temp
 * files of interrupted writes older than ten minutes removed). On PostgreSQL, which several hosts
 * share, the table is the truth: each row holds its file's bytes ({@code content}), and the folder is
 * only imported from (its files not yet in the table are added when the store opens and by
 * {@link #reindex()}), so the shipped paths and those baked on any host appear on every host.
 *
 * <p>Embeddings need the model, which this store does not hold: a path saved or found without one
 * has a null embedding until its owner calls {@link #setEmbedding} (see {@link #missingEmbeddings}).
 * Thread-safe.
 */
public final class BakedPathStore {

    /** A baked path near a prompt, by spherical distance of their text embeddings (0..π²/2). */
    public record Match(BakedSummary path, double distance) {
    }

    /** What {@link #reindex()} found: files read, rows added or replaced, rows dropped, files it could not read. */
    public record ReindexReport(int files, int indexed, int dropped, int unreadable) {
    }

    private record Embedded(BakedSummary summary, float[] unit) {
    }

    static final Duration STRAY_TEMP_AGE = Duration.ofMinutes(10);
    /** How long a path or embeddings read from a shared (PostgreSQL) table are served from memory. */
    static final Duration SHARED_CACHE_AGE = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(BakedPathStore.class);
    private static final String COLUMNS = "id, model_id, prompt, file_name, stage_count, dimension, resolution, score, "
            + "author, created_at, prompt_embedding IS NOT NULL AS has_embedding";
    private static final String INSERT = """
        INSERT INTO baked_paths(id, model_id, prompt, prompt_key, file_name, stage_count, dimension,
                                resolution, score, author, created_at, prompt_embedding, content)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """;

    private final Database db;
    /** PostgreSQL: the table holds the paths; the folder is only imported from. */
    private final boolean inDatabase;
    private final BakedPathFile files;
    private final LoadingCache<String, BakedPath> byId;
    private final LoadingCache<String, List<Embedded>> embeddingsByModel;

    public BakedPathStore(Database db, Path folder) {
        this(db, new BakedPathFile(folder));
    }

    BakedPathStore(Database db, BakedPathFile files) {
        this.db = db;
        this.inDatabase = db.dialect() == Database.Dialect.POSTGRESQL;
        this.files = files;
        this.byId = cache(256).build(this::load);
        this.embeddingsByModel = cache(16).build(this::loadEmbeddings);
        try {
            Files.createDirectories(files.folder());
            files.removeStrayTempFiles(STRAY_TEMP_AGE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the baked folder " + files.folder(), e);
        }
        if (inDatabase) {
            importFolder();
        } else {
            refresh(false);
        }
    }

    private Caffeine<Object, Object> cache(int size) {
        Caffeine<Object, Object> cache = Caffeine.newBuilder().maximumSize(size);
        // Other hosts save to a shared PostgreSQL without telling this one: what it cached goes stale.
        return inDatabase ? cache.expireAfterWrite(SHARED_CACHE_AGE) : cache;
    }

    public Path folder() {
        return files.folder();
    }

    /**
     * Writes the path's file (atomically, replacing the path of the same model and prompt) and
     * indexes it; on PostgreSQL, writes its row with the file's bytes instead. {@code promptEmbedding} is the prompt's text embedding under the path's model, or
     * null when the caller has no model at hand (an embedding stored before is then kept).
     */
    public void save(BakedPath path, float[] promptEmbedding) {
        byte[] blob = promptEmbedding == null ? null : embeddingBlob(promptEmbedding);
        if (inDatabase) {
            try (Connection c = db.connection()) {
                upsert(c, path, BakedPathFile.fileName(path), blob, BakedPathFile.encode(path));
            } catch (SQLException e) {
                throw new Database.StoreException("cannot save baked path " + path.id() + ": " + e.getMessage(), e);
            } finally {
                invalidate();
            }
            return;
        }
        Path written;
        try {
            written = files.write(path);
            for (Path old : files.filesWithId(path.id())) {
                if (!old.equals(written)) {
                    Files.deleteIfExists(old);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write baked path " + path.id() + " to " + files.folder(), e);
        }
        try (Connection c = db.connection()) {
            upsert(c, path, written.getFileName().toString(), blob, null);
        } catch (SQLException e) {
            throw new Database.StoreException("cannot index baked path " + path.id() + ": " + e.getMessage(), e);
        } finally {
            invalidate();
        }
    }

    /** The path with this id, read from its file or (PostgreSQL) its row (cached). */
    public Optional<BakedPath> find(String id) {
        if (id == null || id.isBlank()) {
            return Optional.empty();
        }
        return Optional.ofNullable(byId.get(id));
    }

    /** The path baked for this model and prompt; the prompt matches after whitespace collapse and lower-case. */
    public Optional<BakedPath> findByPrompt(String modelId, String prompt) {
        if (modelId == null || prompt == null || prompt.isBlank()) {
            return Optional.empty();
        }
        return find(BakedPath.idFor(modelId, prompt));
    }

    /** Every indexed path of a model ({@code null}: of all models), by model then prompt. */
    public List<BakedSummary> list(String modelId) {
        String sql = "SELECT " + COLUMNS + " FROM baked_paths"
                + (modelId == null ? "" : " WHERE model_id = ?") + " ORDER BY model_id, prompt_key";
        return query(sql, modelId == null ? List.of() : List.of(modelId));
    }

    /** The paths of a model whose prompt embedding is missing, to be embedded by whoever holds the model. */
    public List<BakedSummary> missingEmbeddings(String modelId) {
        return query("SELECT " + COLUMNS + " FROM baked_paths WHERE model_id = ? AND prompt_embedding IS NULL"
                + " ORDER BY prompt_key", List.of(modelId));
    }

    /** Stores the prompt's text embedding (normalized here) of an indexed path; false if no such path. */
    public boolean setEmbedding(String id, float[] promptEmbedding) {
        byte[] blob = embeddingBlob(promptEmbedding);
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("UPDATE baked_paths SET prompt_embedding = ? WHERE id = ?")) {
            s.setBytes(1, blob);
            s.setString(2, id);
            return s.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new Database.StoreException("cannot store the embedding of " + id + ": " + e.getMessage(), e);
        } finally {
            embeddingsByModel.invalidateAll();
        }
    }

    /** The prompt embedding stored for a path (unit length), if any. */
    public Optional<float[]> embedding(String id) {
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("SELECT prompt_embedding FROM baked_paths WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                if (rs.next() && rs.getBytes(1) != null) {
                    return Optional.of(floats(rs.getBytes(1)));
                }
                return Optional.empty();
            }
        } catch (SQLException e) {
            throw new Database.StoreException("cannot read the embedding of " + id + ": " + e.getMessage(), e);
        }
    }

    /** Deletes the path's file(s) and its row; false if there was neither. */
    public boolean delete(String id) {
        if (id == null || id.isBlank()) {
            return false;
        }
        boolean removed = false;
        try (Connection c = db.connection()) {
            String fileName = null;
            try (PreparedStatement s = c.prepareStatement("SELECT file_name FROM baked_paths WHERE id = ?")) {
                s.setString(1, id);
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next()) {
                        fileName = rs.getString(1);
                    }
                }
            }
            List<Path> doomed = new ArrayList<>(files.filesWithId(id));
            Path indexed = fileName == null ? null : inFolder(fileName);
            if (indexed != null && !doomed.contains(indexed)) {
                doomed.add(indexed);
            }
            for (Path p : doomed) {
                removed |= Files.deleteIfExists(p);
            }
            try (PreparedStatement s = c.prepareStatement("DELETE FROM baked_paths WHERE id = ?")) {
                s.setString(1, id);
                removed |= s.executeUpdate() > 0;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the file of baked path " + id, e);
        } catch (SQLException e) {
            throw new Database.StoreException("cannot delete baked path " + id + ": " + e.getMessage(), e);
        } finally {
            invalidate();
        }
        return removed;
    }

    /**
     * The {@code k} paths of {@code modelId} whose prompt embeddings lie nearest {@code promptEmbedding}
     * (spherical distance, nearest first). Paths without an embedding are not candidates.
     */
    public List<Match> nearest(String modelId, float[] promptEmbedding, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        float[] query = PathBlending.normalized(promptEmbedding);
        List<Match> matches = new ArrayList<>();
        for (Embedded e : embeddingsByModel.get(modelId)) {
            if (e.unit().length != query.length) {
                throw new IllegalArgumentException("the prompt embedding has dimension " + query.length
                        + " but " + modelId + " paths have " + e.unit().length);
            }
            matches.add(new Match(e.summary(), PathBlending.sphericalDistance(query, e.unit())));
        }
        matches.sort(Comparator.comparingDouble(Match::distance).thenComparing(m -> m.path().id()));
        return List.copyOf(matches.subList(0, Math.min(k, matches.size())));
    }

    /**
     * Rebuilds the index from every file in the folder: rows without files dropped, every file read
     * again. On PostgreSQL, where the table is the truth, imports the files not yet in it and drops nothing.
     */
    public ReindexReport reindex() {
        return inDatabase ? importFolder() : refresh(true);
    }

    /**
     * Adds the folder's files whose names the table does not hold yet, with their bytes; a path
     * already there (by id, file name, or model and prompt) is kept as it is, so hosts starting at
     * once import each file once.
     */
    private ReindexReport importFolder() {
        try (Connection c = db.connection()) {
            Set<String> known = new HashSet<>();
            try (PreparedStatement s = c.prepareStatement("SELECT file_name FROM baked_paths");
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    known.add(rs.getString(1));
                }
            }
            List<Path> onDisk = files.files();
            int imported = 0;
            int unreadable = 0;
            for (Path p : onDisk) {
                String name = p.getFileName().toString();
                if (known.contains(name)) {
                    continue;
                }
                byte[] content;
                BakedPath path;
                try {
                    content = Files.readAllBytes(p);
                    path = BakedPathFile.decode(content);
                } catch (IOException | RuntimeException e) {
                    LOG.warn("skipping unreadable baked path file {}: {}", name, e.getMessage());
                    unreadable++;
                    continue;
                }
                imported += insertIfAbsent(c, path, name, content);
            }
            if (imported > 0 || unreadable > 0) {
                LOG.info("baked paths: {} files of {} imported into the database, {} unreadable", imported,
                        files.folder(), unreadable);
            }
            return new ReindexReport(onDisk.size(), imported, 0, unreadable);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the baked folder " + files.folder(), e);
        } catch (SQLException e) {
            throw new Database.StoreException("cannot import the baked folder: " + e.getMessage(), e);
        } finally {
            invalidate();
        }
    }

    private ReindexReport refresh(boolean full) {
        try (Connection c = db.connection()) {
            Map<String, String> idByFileName = new HashMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT file_name, id FROM baked_paths");
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    idByFileName.put(rs.getString(1), rs.getString(2));
                }
            }
            List<Path> onDisk = files.files();
            Map<String, BakedPath> fresh = new HashMap<>();
            Map<String, String> freshFile = new HashMap<>();
            Set<String> keptFileNames = new HashSet<>();
            int unreadable = 0;
            for (Path p : onDisk) {
                String name = p.getFileName().toString();
                if (!full && idByFileName.containsKey(name)) {
                    keptFileNames.add(name);
                    continue;
                }
                BakedPath path;
                try {
                    path = BakedPathFile.read(p);
                } catch (IOException | RuntimeException e) {
                    LOG.warn("skipping unreadable baked path file {}: {}", name, e.getMessage());
                    unreadable++;
                    continue;
                }
                BakedPath other = fresh.get(path.id());
                if (other != null) {
                    LOG.warn("two files hold baked path {}: {} and {}; indexing the newer", path.id(),
                            freshFile.get(path.id()), name);
                    if (other.createdAt().isAfter(path.createdAt())) {
                        continue;
                    }
                }
                fresh.put(path.id(), path);
                freshFile.put(path.id(), name);
            }
            int dropped = 0;
            c.setAutoCommit(false);
            try {
                try (PreparedStatement del = c.prepareStatement("DELETE FROM baked_paths WHERE id = ?")) {
                    for (var e : idByFileName.entrySet()) {
                        String id = e.getValue();
                        if (!keptFileNames.contains(e.getKey()) && !fresh.containsKey(id)) {
                            del.setString(1, id);
                            dropped += del.executeUpdate();
                        }
                    }
                }
                for (BakedPath path : fresh.values()) {
                    upsert(c, path, freshFile.get(path.id()), null, null);
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
            if (dropped > 0 || !fresh.isEmpty() || unreadable > 0) {
                LOG.info("baked index: {} files read, {} rows dropped, {} unreadable", fresh.size(), dropped, unreadable);
            }
            return new ReindexReport(onDisk.size(), fresh.size(), dropped, unreadable);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the baked folder " + files.folder(), e);
        } catch (SQLException e) {
            throw new Database.StoreException("cannot rebuild the baked index: " + e.getMessage(), e);
        } finally {
            invalidate();
        }
    }

    /** {@code content}: the file's bytes (PostgreSQL), or null (SQLite, whose files hold them). */
    private static void upsert(Connection c, BakedPath path, String fileName, byte[] blob, byte[] content)
            throws SQLException {
        // A row that held this file name under another id (a file replaced by hand) gives way.
        try (PreparedStatement s = c.prepareStatement("DELETE FROM baked_paths WHERE file_name = ? AND id <> ?")) {
            s.setString(1, fileName);
            s.setString(2, path.id());
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement(INSERT + """
                ON CONFLICT(id) DO UPDATE SET
                    model_id = excluded.model_id, prompt = excluded.prompt, prompt_key = excluded.prompt_key,
                    file_name = excluded.file_name, stage_count = excluded.stage_count,
                    dimension = excluded.dimension, resolution = excluded.resolution, score = excluded.score,
                    author = excluded.author, created_at = excluded.created_at,
                    prompt_embedding = COALESCE(excluded.prompt_embedding, baked_paths.prompt_embedding),
                    content = excluded.content
                """)) {
            bind(s, path, fileName, blob, content);
            s.executeUpdate();
        }
    }

    /** Inserts the path unless its id, file name, or model and prompt is taken; 1 if inserted. */
    private static int insertIfAbsent(Connection c, BakedPath path, String fileName, byte[] content)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement(INSERT + " ON CONFLICT DO NOTHING")) {
            bind(s, path, fileName, null, content);
            return s.executeUpdate();
        }
    }

    private static void bind(PreparedStatement s, BakedPath path, String fileName, byte[] blob, byte[] content)
            throws SQLException {
        s.setString(1, path.id());
        s.setString(2, path.modelId());
        s.setString(3, path.prompt());
        s.setString(4, BakedPath.promptKey(path.prompt()));
        s.setString(5, fileName);
        s.setInt(6, path.stageCount());
        s.setInt(7, path.dimension());
        s.setInt(8, path.resolution());
        if (Double.isNaN(path.score())) {
            s.setNull(9, Types.DOUBLE);
        } else {
            s.setDouble(9, path.score());
        }
        s.setString(10, path.author());
        s.setLong(11, path.createdAt().toEpochMilli());
        s.setBytes(12, blob);
        s.setBytes(13, content);
    }

    private BakedPath load(String id) {
        if (inDatabase) {
            return loadFromRow(id);
        }
        String fileName;
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("SELECT file_name FROM baked_paths WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                fileName = rs.getString(1);
            }
        } catch (SQLException e) {
            throw new Database.StoreException("cannot look up baked path " + id + ": " + e.getMessage(), e);
        }
        Path file = inFolder(fileName);
        if (file == null || !Files.isRegularFile(file)) {
            LOG.warn("baked path {} is indexed but its file {} is gone; run a reindex", id, fileName);
            return null;
        }
        try {
            BakedPath path = BakedPathFile.read(file);
            if (!path.id().equals(id)) {
                LOG.warn("file {} holds baked path {}, not {}; run a reindex", fileName, path.id(), id);
                return null;
            }
            return path;
        } catch (IOException e) {
            LOG.warn("cannot read baked path {}: {}", id, e.getMessage());
            return null;
        }
    }

    private BakedPath loadFromRow(String id) {
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("SELECT content FROM baked_paths WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next() || rs.getBytes(1) == null) {
                    return null;
                }
                BakedPath path = BakedPathFile.decode(rs.getBytes(1));
                if (!path.id().equals(id)) {
                    LOG.warn("the row of baked path {} holds baked path {}", id, path.id());
                    return null;
                }
                return path;
            }
        } catch (SQLException e) {
            throw new Database.StoreException("cannot read baked path " + id + ": " + e.getMessage(), e);
        } catch (IOException e) {
            LOG.warn("cannot read baked path {}: {}", id, e.getMessage());
            return null;
        }
    }

    private List<Embedded> loadEmbeddings(String modelId) {
        List<Embedded> out = new ArrayList<>();
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + ", prompt_embedding FROM baked_paths"
                     + " WHERE model_id = ? AND prompt_embedding IS NOT NULL")) {
            s.setString(1, modelId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new Embedded(summary(rs), floats(rs.getBytes("prompt_embedding"))));
                }
            }
        } catch (SQLException e) {
            throw new Database.StoreException("cannot read the embeddings of " + modelId + ": " + e.getMessage(), e);
        }
        return List.copyOf(out);
    }

    private List<BakedSummary> query(String sql, List<String> args) {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) {
                s.setString(i + 1, args.get(i));
            }
            List<BakedSummary> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(summary(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new Database.StoreException("cannot list baked paths: " + e.getMessage(), e);
        }
    }

    private static BakedSummary summary(ResultSet rs) throws SQLException {
        double score = rs.getDouble("score");
        if (rs.wasNull()) {
            score = Double.NaN;
        }
        return new BakedSummary(rs.getString("id"), rs.getString("model_id"), rs.getString("prompt"),
                rs.getString("file_name"), rs.getInt("stage_count"), rs.getInt("dimension"),
                rs.getInt("resolution"), score, rs.getString("author"),
                Instant.ofEpochMilli(rs.getLong("created_at")), rs.getBoolean("has_embedding"));
    }

    /** A file name from the index, resolved only if it stays a plain name inside the folder. */
    private Path inFolder(String fileName) {
        Path p = files.folder().resolve(fileName).normalize();
        return files.folder().equals(p.getParent()) ? p : null;
    }

    private void invalidate() {
        byId.invalidateAll();
        embeddingsByModel.invalidateAll();
    }

    /** Float32 little-endian bytes of the unit vector. */
    static byte[] embeddingBlob(float[] embedding) {
        float[] unit = PathBlending.normalized(embedding);
        ByteBuffer buf = ByteBuffer.allocate(4 * unit.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(unit);
        return buf.array();
    }

    static float[] floats(byte[] blob) {
        float[] v = new float[blob.length / 4];
        ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }
}
