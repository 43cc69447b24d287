package dev.dreamoven.bake;

import dev.dreamoven.clip.TorchSave;
import dev.dreamoven.common.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.ZipException;

/**
 * Reads the baked paths of the original scripts: {@code torch.save} archives (zip files) holding one
 * float32 tensor [10, 512], described by the archive's pickle {@code <top>/data.pkl} and stored in
 * {@code <top>/data/<key>} (the top folder is usually {@code archive/} but depends on how the file
 * was saved). The prompt is the file name
 * without {@code .pt}, underscores as spaces. They were baked with ViT-B/32 at 128×128 pixels.
 */
public final class SeedBakeImporter {

    public static final String MODEL_ID = "ViT-B-32";
    public static final int RESOLUTION = 128;
    public static final int STAGES = 10;
    public static final int DIMENSION = 512;
    public static final String AUTHOR = "original bake.py";
    private static final int BYTES = STAGES * DIMENSION * 4;

    /** Reads one {@code .pt} file; bad files are refused with an InvalidInputException naming the file. */
    public BakedPath read(Path ptFile) {
        String name = ptFile.getFileName().toString();
        if (!name.endsWith(".pt")) {
            throw new InvalidInputException(name + ": expected a .pt file written by the original bake.py");
        }
        String prompt = promptFromFileName(name);
        try {
            BakedPath.validatePrompt(prompt);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(name + ": " + e.getMessage());
        }
        float[][] stages = readStages(ptFile);
        Instant created;
        try {
            created = Files.getLastModifiedTime(ptFile).toInstant();
        } catch (IOException e) {
            created = Instant.now();
        }
        try {
            return BakedPath.of(prompt, MODEL_ID, RESOLUTION, stages,
                    Map.of("note", "imported from the original bake.py", "source_file", name),
                    Double.NaN, AUTHOR, created);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(name + ": " + e.getMessage());
        }
    }

    /** {@code a_road_sign_with_the_word_'Hello'_on_it.pt} → {@code a road sign with the word 'Hello' on it}. */
    public static String promptFromFileName(String fileName) {
        String base = fileName.endsWith(".pt") ? fileName.substring(0, fileName.length() - 3) : fileName;
        return base.replace('_', ' ');
    }

    /** Larger values than this in a stage make no CLIP embedding (ViT-B/32's have norms around 10). */
    static final double MAX_NORM = 1000;

    /**
     * The [10, 512] stage vectors of a {@code torch.save} archive. The pickle is read, so the
     * element type, shape and storage size are the file's own: anything but a finite float32
     * [10, 512] tensor whose stages are plausible embeddings is refused, saying why.
     */
    static float[][] readStages(Path ptFile) {
        String name = ptFile.getFileName().toString();
        if (!Files.isRegularFile(ptFile)) {
            throw new InvalidInputException(name + ": no such file");
        }
        TorchSave.Tensor t;
        try {
            t = TorchSave.read(ptFile, BYTES);
        } catch (ZipException e) {
            throw new InvalidInputException(name + ": not a torch.save archive (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new InvalidInputException(name + ": not a torch.save archive of one tensor (" + e.getMessage() + ")", e);
        }
        String expected = "; the original bake.py saved a float32 [" + STAGES + ", " + DIMENSION + "] tensor";
        if (!t.storageType().equals("FloatStorage")) {
            throw new InvalidInputException(name + ": the tensor is " + t.dtype() + ", not float32" + expected
                    + " (convert it with .float())");
        }
        if (!Arrays.equals(t.shape(), new long[] {STAGES, DIMENSION})) {
            boolean transposed = Arrays.equals(t.shape(), new long[] {DIMENSION, STAGES});
            throw new InvalidInputException(name + ": the tensor is " + t.shapeText() + (transposed
                    ? ", transposed (stages must be rows: use .T)" : "") + expected);
        }
        boolean sizeMismatch = t.storageElements() >= 0 && (t.storageTruncated()
                ? t.storageElements() * 4 <= t.storage().length : t.storageElements() * 4 != t.storage().length);
        if (sizeMismatch || t.storage().length % 4 != 0) {
            throw new InvalidInputException(name + ": the storage holds " + t.storage().length + " bytes but the "
                    + "pickle says " + t.storageElements() + " float32 values" + expected);
        }
        float[] flat;
        try {
            flat = t.values();
        } catch (IOException e) {
            throw new InvalidInputException(name + ": " + e.getMessage() + expected);
        }
        float[][] stages = new float[STAGES][DIMENSION];
        for (int k = 0; k < STAGES; k++) {
            System.arraycopy(flat, k * DIMENSION, stages[k], 0, DIMENSION);
            checkStage(name, k, stages[k]);
        }
        return stages;
    }

    /** A stage must be a finite, non-zero vector of a plausible size to be a CLIP embedding. */
    private static void checkStage(String name, int k, float[] stage) {
        double sum = 0;
        for (float v : stage) {
            if (!Float.isFinite(v)) {
                throw new InvalidInputException(name + ": stage " + k + " holds " + v + "; every value must be finite");
            }
            sum += (double) v * v;
        }
        double norm = Math.sqrt(sum);
        if (norm == 0) {
            throw new InvalidInputException(name + ": stage " + k + " is all zeros, which is no direction to cook toward");
        }
        if (norm > MAX_NORM) {
            throw new InvalidInputException(String.format(java.util.Locale.ROOT, "%s: stage %d has norm %.3g; CLIP "
                    + "embeddings have norms around 10 (at most %.0f is accepted)", name, k, norm, MAX_NORM));
        }
    }
}
