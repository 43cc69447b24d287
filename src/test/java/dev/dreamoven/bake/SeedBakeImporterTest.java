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
import java.util.Map;
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
        byte[] pickle;
        try (ZipFile zip = new ZipFile(lemon.toFile())) {
            raw = zip.getInputStream(zip.getEntry("archive/data/0")).readAllBytes();
            pickle = zip.getInputStream(zip.getEntry("archive/data.pkl")).readAllBytes();
        }
        Path renamed = dir.resolve("a_sour_lemon.pt");
        writeZip(renamed, Map.of("a_sour_lemon/data.pkl", pickle, "a_sour_lemon/data/0", raw));
        BakedPath p = importer.read(renamed);
        assertThat(p.prompt()).isEqualTo("a sour lemon");
        assertThat(p.stages()).isDeepEqualTo(importer.read(lemon).stages());
    }

    @Test
    void aSavedFloat32TensorOfTenStagesImports(@TempDir Path dir) throws IOException {
        float[] values = plausible(10 * 512);
        Path file = torchSave(dir.resolve("a_made_up_path.pt"), "FloatStorage", new long[] {10, 512},
                new long[] {512, 1}, floats(values), 5120);
        BakedPath p = importer.read(file);
        assertThat(p.stage(0)[0]).isEqualTo(values[0]);
        assertThat(p.stage(9)[511]).isEqualTo(values[5119]);
    }

    /** What the pickle says is what counts: element type, shape, storage size, and the values themselves. */
    @Test
    void anythingButAFiniteFloat32TenBy512TensorIsRefusedSayingWhy(@TempDir Path dir) throws IOException {
        long[] shape = {10, 512};
        long[] rows = {512, 1};
        refused(torchSave(dir.resolve("f64.pt"), "DoubleStorage", shape, rows, new byte[5120 * 8], 5120),
                "f64.pt: the tensor is float64, not float32; the original bake.py saved a float32 [10, 512] tensor "
                        + "(convert it with .float())");
        refused(torchSave(dir.resolve("f16.pt"), "HalfStorage", shape, rows, new byte[5120 * 2], 5120),
                "the tensor is float16, not float32");
        refused(torchSave(dir.resolve("i32.pt"), "IntStorage", shape, rows, new byte[5120 * 4], 5120),
                "the tensor is int32, not float32");
        refused(torchSave(dir.resolve("five.pt"), "FloatStorage", new long[] {5, 512}, rows,
                floats(plausible(5 * 512)), 2560), "five.pt: the tensor is [5, 512]; the original bake.py saved a "
                        + "float32 [10, 512] tensor");
        refused(torchSave(dir.resolve("twenty.pt"), "FloatStorage", new long[] {20, 512}, rows,
                floats(plausible(20 * 512)), 10240), "the tensor is [20, 512];");
        refused(torchSave(dir.resolve("transposed.pt"), "FloatStorage", new long[] {512, 10}, new long[] {10, 1},
                floats(plausible(5120)), 5120), "the tensor is [512, 10], transposed (stages must be rows: use .T)");
        refused(torchSave(dir.resolve("short.pt"), "FloatStorage", shape, rows, floats(plausible(5000)), 5120),
                "short.pt: the storage holds 20000 bytes but the pickle says 5120 float32 values");
        refused(torchSave(dir.resolve("zeros.pt"), "FloatStorage", shape, rows, new byte[5120 * 4], 5120),
                "zeros.pt: stage 0 is all zeros");
        float[] huge = plausible(5120);
        java.util.Arrays.fill(huge, 512 * 3, 512 * 4, 3e38f);
        refused(torchSave(dir.resolve("huge.pt"), "FloatStorage", shape, rows, floats(huge), 5120),
                "huge.pt: stage 3 has norm 6.79e+39; CLIP embeddings have norms around 10 (at most 1000 is accepted)");
        float[] nan = plausible(5120);
        nan[600] = Float.NaN;
        refused(torchSave(dir.resolve("nan.pt"), "FloatStorage", shape, rows, floats(nan), 5120),
                "nan.pt: stage 1 holds NaN; every value must be finite");
        Path dict = dir.resolve("state_dict.pt");
        writeZip(dict, Map.of("archive/data.pkl", new byte[] {(byte) 0x80, 2, '}', '.'}));
        refused(dict, "state_dict.pt: not a torch.save archive of one tensor (it holds a dict of 0 entries, not one tensor)");
        Path noPickle = dir.resolve("no_pickle.pt");
        writeZip(noPickle, Map.of("archive/data/0", new byte[5120 * 4]));
        refused(noPickle, "no_pickle.pt: not a torch.save archive of one tensor (no data.pkl in the archive");
    }

    @Test
    void aPromptWithARightToLeftOverrideIsRefusedLikeDreamRefusesIt(@TempDir Path dir) throws IOException {
        Path file = torchSave(dir.resolve("a_red_\u202eelcric.pt"), "FloatStorage", new long[] {10, 512},
                new long[] {512, 1}, floats(plausible(5120)), 5120);
        refused(file, "the prompt holds a control character (U+202E at position 6)");
    }

    private void refused(Path file, String message) {
        assertThatThrownBy(() -> importer.read(file)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(message);
    }

    /** Values like a CLIP embedding's: norms around 10 per stage of 512. */
    private static float[] plausible(int n) {
        java.util.Random r = new java.util.Random(n);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * 0.45);
        }
        return v;
    }

    private static byte[] floats(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    /**
     * An archive as {@code torch.save(tensor, file)} writes it: the pickle (protocol 2, the opcodes
     * of the original bake.py's files) calling {@code torch._utils._rebuild_tensor_v2} on the
     * persistent storage {@code ("storage", torch.<type>, "0", "cpu", numel)}, and the storage bytes.
     */
    static Path torchSave(Path file, String storageType, long[] shape, long[] stride, byte[] storage, long numel)
            throws IOException {
        java.io.ByteArrayOutputStream p = new java.io.ByteArrayOutputStream();
        p.write(new byte[] {(byte) 0x80, 2});
        p.writeBytes("ctorch._utils\n_rebuild_tensor_v2\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        p.write('(');
        p.write('(');
        unicode(p, "storage");
        p.writeBytes(("ctorch\n" + storageType + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        unicode(p, "0");
        unicode(p, "cpu");
        binint(p, numel);
        p.write('t');
        p.write('Q');
        binint(p, 0);
        tuple(p, shape);
        tuple(p, stride);
        p.write(0x89);
        p.writeBytes("ccollections\nOrderedDict\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        p.write(')');
        p.write('R');
        p.write('t');
        p.write('R');
        p.write('.');
        writeZip(file, Map.of("archive/data.pkl", p.toByteArray(), "archive/data/0", storage));
        return file;
    }

    private static void unicode(java.io.ByteArrayOutputStream p, String s) {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        p.write('X');
        p.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
        p.writeBytes(b);
    }

    private static void binint(java.io.ByteArrayOutputStream p, long v) {
        p.write('J');
        p.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
    }

    private static void tuple(java.io.ByteArrayOutputStream p, long[] values) {
        p.write('(');
        for (long v : values) {
            binint(p, v);
        }
        p.write('t');
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

    private static void writeZip(Path file, Map<String, byte[]> entries) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : new java.util.TreeMap<>(entries).entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
    }
}
