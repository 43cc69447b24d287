package dev.dreamoven.bake;

import static dev.dreamoven.bake.BakedPathsForTests.path;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dreamoven.store.Database;
import dev.dreamoven.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two hosts, each with its own baked folder and pool, on one PostgreSQL database. */
class PostgresBakedPathStoreTest {

    @TempDir
    Path dir;
    String url;
    Database hostA;
    Database hostB;

    @BeforeEach
    void open() {
        url = TestPostgres.newDatabaseUrl();
        hostA = TestPostgres.open(url);
        hostB = TestPostgres.open(url);
    }

    @AfterEach
    void close() {
        hostA.close();
        hostB.close();
    }

    private static float[] unit(int d, int axis) {
        float[] v = new float[d];
        v[axis] = 1;
        return v;
    }

    @Test
    void aPathSavedOnOneHostIsFoundAndLoadedOnAnotherWithAnEmptyFolder() throws Exception {
        BakedPathStore a = new BakedPathStore(hostA, dir.resolve("a"));
        BakedPathStore b = new BakedPathStore(hostB, dir.resolve("b"));
        BakedPath lemon = path("A Lemon", "shapes", 1);
        a.save(lemon, unit(8, 0));

        assertThat(b.find(lemon.id())).contains(lemon);
        assertThat(b.findByPrompt("shapes", " a  lemon")).contains(lemon);
        assertThat(b.list("shapes")).extracting(BakedSummary::prompt).containsExactly("A Lemon");
        assertThat(b.nearest("shapes", unit(8, 0), 1)).extracting(m -> m.path().id()).containsExactly(lemon.id());
        try (var files = Files.list(dir.resolve("b"))) {
            assertThat(files).isEmpty(); // the table is the truth; no host writes files
        }
    }

    @Test
    void aPathSavedAgainReplacesItsRowAndKeepsItsEmbedding() {
        BakedPathStore a = new BakedPathStore(hostA, dir.resolve("a"));
        BakedPathStore b = new BakedPathStore(hostB, dir.resolve("b"));
        a.save(path("a lemon", "shapes", 1), unit(8, 0));
        BakedPath rebaked = path("a lemon", "shapes", 2);
        a.save(rebaked, null);

        assertThat(b.find(rebaked.id())).contains(rebaked);
        assertThat(b.embedding(rebaked.id())).isPresent();
        assertThat(b.list(null)).hasSize(1);
    }

    @Test
    void theFilesOfAFolderAreImportedOnceAndServedToEveryHost() throws Exception {
        Path shipped = dir.resolve("shipped");
        BakedPathFile files = new BakedPathFile(shipped);
        BakedPath lemon = path("a lemon", "shapes", 1);
        BakedPath mushroom = path("a mushroom", "shapes", 2);
        files.write(lemon);
        files.write(mushroom);

        BakedPathStore a = new BakedPathStore(hostA, shipped);
        assertThat(a.reindex().indexed()).as("nothing left to import").isZero();
        BakedPathStore alsoShipped = new BakedPathStore(hostB, shipped);
        BakedPathStore empty = new BakedPathStore(hostB, dir.resolve("empty"));

        assertThat(empty.list("shapes")).extracting(BakedSummary::prompt).containsExactly("a lemon", "a mushroom");
        assertThat(empty.find(mushroom.id())).contains(mushroom);
        assertThat(empty.missingEmbeddings("shapes")).hasSize(2);
        assertThat(alsoShipped.list(null)).hasSize(2);
    }

    @Test
    void aPathChangedInTheDatabaseIsNotOverwrittenByTheFolderItCameFrom() throws Exception {
        Path shipped = dir.resolve("shipped");
        new BakedPathFile(shipped).write(path("a lemon", "shapes", 1));
        BakedPathStore a = new BakedPathStore(hostA, shipped);
        BakedPath rebaked = path("a lemon", "shapes", 2);
        new BakedPathStore(hostB, dir.resolve("b")).save(rebaked, null);

        new BakedPathStore(hostA, shipped); // a restart of host A
        assertThat(a.find(rebaked.id())).contains(rebaked);
    }
}
