package dev.dreamoven.bake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.testing.SharedFixtures;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeedBakeImporterTest {

    private final SeedBakeImporter importer = new SeedBakeImporter();

    private static List<Path> seedFiles() throws IOException {
        Path folder = SharedFixtures.require("seed-baked");
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.toString().endsWith(".pt")).sorted().toList();
        }
    }

    @Test
    void everySeedPathImportsWithItsPromptAndSensibleVectors() throws IOException {
        List<Path> files = seedFiles();
        assertThat(files).hasSize(30);
        List<String> prompts = new ArrayList<>();
        for (Path f : files) {
            BakedPath p = importer.read(f);
            prompts.add(p.prompt());
            assertThat(p.modelId()).isEqualTo("ViT-B-32");
            assertThat(p.resolution()).isEqualTo(128);
            assertThat(p.stageCount()).isEqualTo(10);
            assertThat(p.dimension()).isEqualTo(512);
            assertThat(p.score()).isNaN();
            assertThat(p.settings()).containsEntry("note", "imported from the original bake.py");
            for (int k = 0; k < 10; k++) {
                double norm = PathBlending.norm(p.stage(k));
                // raw ViT-B/32 text embeddings have norms around 10; the seed stages lie at 10..30
                assertThat(norm).as("%s stage %d", f.getFileName(), k).isBetween(5.0, 60.0);
            }
            // consecutive stages of one path point in similar directions (same prompt's trajectory)
            assertThat(PathBlending.sphericalDistance(p.stage(0), p.stage(9))).isLessThan(PathBlending.MAX_DISTANCE / 4);
        }
        assertThat(prompts).contains("a road sign with the word 'Hello' on it",
                "iridescent vaporwave bubbles #digitalart", "more than everything, and less than nothing.",
                "a lemon", "the capybara is wearing a little hat");
        assertThat(prompts).doesNotHaveDuplicates();
    }

    @Test
    void theFirstFloatsMatchTheRawArchiveBytes() throws IOException {
        Path lemon = SharedFixtures.require("seed-baked/a_lemon.pt");
        float first;
        float last;
        try (ZipFile zip = new ZipFile(lemon.toFile())) {
            byte[] raw = zip.getInputStream(zip.getEntry("archive/data/0")).readAllBytes();
            ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
            first = b.getFloat(0);
            last = b.getFloat(raw.length - 4);
        }
        BakedPath p = importer.read(lemon);
        assertThat(p.stage(0)[0]).isEqualTo(first);
        assertThat(p.stage(9)[511]).isEqualTo(last);
    }

    @Test
    void theTopFolderOfTheArchiveMayHaveAnyName(@TempDir Path dir) throws IOException {
        Path lemon = SharedFixtures.require("seed-baked/a_lemon.pt");
        byte[] raw;
        try (ZipFile zip = new ZipFile(lemon.toFile())) {
            raw = zip.getInputStream(zip.getEntry("archive/data/0")).readAllBytes();
        }
        Path renamed = dir.resolve("a_sour_lemon.pt");
        writeZip(renamed, "a_sour_lemon/data/0", raw);
        BakedPath p = importer.read(renamed);
        assertThat(p.prompt()).isEqualTo("a sour lemon");
        assertThat(p.stages()).isDeepEqualTo(importer.read(lemon).stages());
    }

    @Test
    void aTensorOfAnotherSizeIsRefusedClearly(@TempDir Path dir) throws IOException {
        Path small = dir.resolve("wrong_size.pt");
        writeZip(small, "archive/data/0", new byte[10 * 768 * 4]);
        assertThatThrownBy(() -> importer.read(small)).isInstanceOf(InvalidInputException.class)
                .hasMessage("wrong_size.pt: expected a [10, 512] float32 tensor (20480 bytes), found 30720 bytes");
        Path empty = dir.resolve("no_tensor.pt");
        writeZip(empty, "archive/version", new byte[] {'3'});
        assertThatThrownBy(() -> importer.read(empty)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("found 0");
    }

    @Test
    void somethingThatIsNotAnArchiveIsRefusedClearly(@TempDir Path dir) throws IOException {
        Path text = dir.resolve("notes.pt");
        Files.writeString(text, "hello");
        assertThatThrownBy(() -> importer.read(text)).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("notes.pt: not a torch.save archive");
        assertThatThrownBy(() -> importer.read(dir.resolve("missing.pt"))).isInstanceOf(InvalidInputException.class)
                .hasMessage("missing.pt: no such file");
        assertThatThrownBy(() -> importer.read(dir.resolve("x.txt"))).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void promptsComeFromFileNames() {
        assertThat(SeedBakeImporter.promptFromFileName("more_than_everything,_and_less_than_nothing..pt"))
                .isEqualTo("more than everything, and less than nothing.");
        assertThat(SeedBakeImporter.promptFromFileName("a_lemon.pt")).isEqualTo("a lemon");
    }

    private static void writeZip(Path file, String entry, byte[] data) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry(entry));
            zip.write(data);
            zip.closeEntry();
        }
    }
}
