package dev.dreamoven.bake;

import static dev.dreamoven.bake.BakedPathsForTests.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.dreamoven.store.Database;
import dev.dreamoven.testing.SharedFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BakedPathStoreTest {

    @TempDir
    Path dir;
    Database db;
    BakedPathStore store;
    Path folder;

    @BeforeEach
    void open() {
        folder = dir.resolve("baked");
        db = Database.open(dir.resolve("db/dream.db"));
        store = new BakedPathStore(db, folder);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static float[] unit(int d, int axis) {
        float[] v = new float[d];
        v[axis] = 1;
        return v;
    }

    @Test
    void aSavedPathIsFoundByIdAndByPrompt() {
        BakedPath p = path("A Lemon", "shapes", 1);
        store.save(p, unit(8, 0));
        assertThat(store.find(p.id())).contains(p);
        assertThat(store.findByPrompt("shapes", "  a   LEMON ")).contains(p);
        assertThat(store.findByPrompt("ViT-B-32", "a lemon")).isEmpty(); // a path serves only its own model
        assertThat(store.find("0000000000000000")).isEmpty();
        assertThat(folder.resolve(BakedPathFile.fileName(p))).isRegularFile();
    }

    @Test
    void savingTheSamePromptAgainReplacesItAndKeepsTheEmbedding() {
        store.save(path("a lemon", "shapes", 1), unit(8, 2));
        BakedPath again = path("a lemon", "shapes", 2);
        assertThat(store.find(again.id()).orElseThrow().stages()).isNotEqualTo(again.stages()); // cached old one
        store.save(again, null);
        assertThat(store.find(again.id())).contains(again);
        assertThat(store.list(null)).hasSize(1).first().satisfies(s -> assertThat(s.hasEmbedding()).isTrue());
        assertThat(store.embedding(again.id()).orElseThrow()).containsExactly(unit(8, 2));
    }

    @Test
    void listShowsSummariesPerModel() {
        store.save(path("the doziest dog", "shapes", 1), null);
        store.save(path("a lemon", "shapes", 2).withScore(Double.NaN), unit(8, 1));
        store.save(path("a lemon", "ViT-B-32", 3), null);
        assertThat(store.list("shapes")).extracting(BakedSummary::prompt).containsExactly("a lemon", "the doziest dog");
        assertThat(store.list(null)).extracting(BakedSummary::modelId).containsExactly("ViT-B-32", "shapes", "shapes");
        BakedSummary lemon = store.list("shapes").get(0);
        assertThat(lemon.score()).isNaN();
        assertThat(lemon.stageCount()).isEqualTo(4);
        assertThat(lemon.dimension()).isEqualTo(8);
        assertThat(lemon.resolution()).isEqualTo(64);
        assertThat(lemon.author()).isEqualTo("tester");
        assertThat(lemon.createdAt()).isEqualTo(BakedPathsForTests.T0.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        assertThat(store.list("shapes").get(1).score()).isEqualTo(0.25);
    }

    @Test
    void deleteRemovesFileAndRow() throws IOException {
        BakedPath p = path("a lemon", "shapes", 1);
        store.save(p, unit(8, 0));
        assertThat(store.find(p.id())).isPresent();
        assertThat(store.delete(p.id())).isTrue();
        assertThat(store.find(p.id())).isEmpty();
        assertThat(store.list(null)).isEmpty();
        assertThat(store.nearest("shapes", unit(8, 0), 3)).isEmpty();
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files).isEmpty();
        }
        assertThat(store.delete(p.id())).isFalse();
    }

    @Test
    void nearestRanksThePathsOfOneModelBySphericalDistance() {
        BakedPath x = path("along x", "shapes", 1);
        BakedPath xy = path("between x and y", "shapes", 2);
        BakedPath y = path("along y", "shapes", 3);
        store.save(x, new float[] {5, 0, 0});
        store.save(xy, new float[] {1, 1, 0});
        store.save(y, new float[] {0, 2, 0});
        store.save(path("no embedding", "shapes", 4), null);
        store.save(path("along x", "other-model", 5), new float[] {1, 0, 0});

        List<BakedPathStore.Match> m = store.nearest("shapes", new float[] {3, 0.5f, 0}, 2);
        assertThat(m).extracting(r -> r.path().id()).containsExactly(x.id(), xy.id());
        double theta = Math.atan2(0.5, 3); // angle between the query and the x axis
        assertThat(m.get(0).distance()).isCloseTo(theta * theta / 2, within(1e-6));
        double theta45 = Math.PI / 4 - theta;
        assertThat(m.get(1).distance()).isCloseTo(theta45 * theta45 / 2, within(1e-6));

        assertThat(store.nearest("shapes", new float[] {0, 0, 1}, 10)).hasSize(3)
                .allSatisfy(r -> assertThat(r.distance()).isCloseTo(Math.PI * Math.PI / 8, within(1e-6)));
        assertThat(store.nearest("nobody", new float[] {1, 0, 0}, 10)).isEmpty();
        assertThatThrownBy(() -> store.nearest("shapes", new float[] {1, 0}, 1)).hasMessageContaining("dimension");
    }

    @Test
    void theFilesAreTheTruth() throws IOException {
        BakedPath lemon = path("a lemon", "shapes", 1);
        BakedPath dog = path("the doziest dog", "shapes", 2);
        store.save(lemon, unit(8, 0));
        store.save(dog, unit(8, 1));
        // a file removed by hand: its row goes; a file copied in by hand: it is indexed without embedding
        Files.delete(folder.resolve(BakedPathFile.fileName(dog)));
        BakedPath cloud = path("a lonely cloud", "shapes", 3);
        Files.write(folder.resolve(BakedPathFile.fileName(cloud)), BakedPathFile.encode(cloud));
        Files.writeString(folder.resolve("junk.bake.safetensors"), "not a baked path");

        BakedPathStore.ReindexReport report = store.reindex();
        assertThat(report).isEqualTo(new BakedPathStore.ReindexReport(3, 2, 1, 1));
        assertThat(store.list(null)).extracting(BakedSummary::prompt).containsExactly("a lemon", "a lonely cloud");
        assertThat(store.missingEmbeddings("shapes")).extracting(BakedSummary::id).containsExactly(cloud.id());
        assertThat(store.find(dog.id())).isEmpty();
        assertThat(store.find(cloud.id())).contains(cloud);
        // the lemon kept its embedding across the rebuild
        assertThat(store.nearest("shapes", unit(8, 0), 5)).extracting(r -> r.path().id()).containsExactly(lemon.id());

        assertThat(store.setEmbedding(cloud.id(), unit(8, 3))).isTrue();
        assertThat(store.setEmbedding("0000000000000000", unit(8, 3))).isFalse();
        assertThat(store.missingEmbeddings("shapes")).isEmpty();
        assertThat(store.nearest("shapes", unit(8, 3), 1).get(0).path().id()).isEqualTo(cloud.id());
    }

    @Test
    void aLostDatabaseIsRebuiltFromTheFolderWhenTheStoreOpens() throws Exception {
        store.save(path("a lemon", "shapes", 1), unit(8, 0));
        store.save(path("a mushroom", "shapes", 2), unit(8, 1));
        db.close();
        Files.delete(dir.resolve("db/dream.db"));
        db = Database.open(dir.resolve("db/dream.db"));
        store = new BakedPathStore(db, folder);
        assertThat(store.list("shapes")).extracting(BakedSummary::prompt).containsExactly("a lemon", "a mushroom");
        assertThat(store.missingEmbeddings("shapes")).hasSize(2);
        assertThat(store.findByPrompt("shapes", "a mushroom")).isPresent();
    }

    @Test
    void openingTheStoreRemovesOldTempFilesOfInterruptedWrites() throws IOException {
        store.save(path("a lemon", "shapes", 1), null);
        Path stale = folder.resolve(".tmp-123.partial");
        Path fresh = folder.resolve(".tmp-456.partial");
        Files.write(stale, new byte[] {1});
        Files.write(fresh, new byte[] {2});
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(BakedPathStore.STRAY_TEMP_AGE.multipliedBy(2))));
        BakedPathStore reopened = new BakedPathStore(db, folder);
        assertThat(stale).doesNotExist();
        assertThat(fresh).exists(); // may be a write in progress in another process
        assertThat(reopened.list(null)).hasSize(1);
    }

    @Test
    void aCrashedSaveKeepsTheOldPathServed() {
        BakedPath old = path("a lemon", "shapes", 1);
        store.save(old, unit(8, 0));
        BakedPathStore crashing = new BakedPathStore(db, new BakedPathFile(folder, temp -> {
            throw new IOException("simulated crash before the rename");
        }));
        assertThatThrownBy(() -> crashing.save(path("a lemon", "shapes", 2), null))
                .hasMessageContaining("cannot write baked path");
        assertThat(crashing.find(old.id())).contains(old);
        assertThat(store.reindex().unreadable()).isZero();
    }

    @Test
    void allSeedPathsImportIntoTheStore() throws IOException {
        Path seeds = SharedFixtures.require("seed-baked");
        SeedBakeImporter importer = new SeedBakeImporter();
        try (Stream<Path> files = Files.list(seeds)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".pt")).toList()) {
                store.save(importer.read(f), null);
            }
        }
        assertThat(store.list("ViT-B-32")).hasSize(30);
        assertThat(store.missingEmbeddings("ViT-B-32")).hasSize(30);
        BakedPath hello = store.findByPrompt("ViT-B-32", "a road sign with the word 'hello' on it").orElseThrow();
        assertThat(hello.stageCount()).isEqualTo(10);
        assertThat(hello.dimension()).isEqualTo(512);
        assertThat(store.reindex()).isEqualTo(new BakedPathStore.ReindexReport(30, 30, 0, 0));
    }

    @Test
    void theIndexTableHasTheDocumentedColumns() throws Exception {
        try (Connection c = db.connection(); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT name FROM pragma_table_info('baked_paths') ORDER BY cid")) {
            List<String> cols = new java.util.ArrayList<>();
            while (rs.next()) {
                cols.add(rs.getString(1));
            }
            assertThat(cols).contains("id", "model_id", "prompt", "file_name", "stage_count", "dimension", "score",
                    "author", "created_at", "prompt_embedding");
        }
    }
}
