package dev.dreamoven.bake;

import dev.dreamoven.common.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads the baked paths of the original scripts: {@code torch.save} archives (zip files) holding one
 * float32 little-endian tensor [10, 512] in the entry ending {@code /data/0} (the top folder is
 * usually {@code archive/} but depends on how the file was saved). The prompt is the file name
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

    /** The [10, 512] stage vectors of a {@code torch.save} archive. */
    static float[][] readStages(Path ptFile) {
        String name = ptFile.getFileName().toString();
        if (!Files.isRegularFile(ptFile)) {
            throw new InvalidInputException(name + ": no such file");
        }
        try (ZipFile zip = new ZipFile(ptFile.toFile())) {
            List<ZipEntry> data = new ArrayList<>();
            ZipEntry pickle = null;
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                if (entry.getName().endsWith("/data/0")) {
                    data.add(entry);
                } else if (entry.getName().endsWith("/data.pkl")) {
                    pickle = entry;
                }
            }
            if (data.size() != 1) {
                throw new InvalidInputException(name + ": expected one tensor (an entry .../data/0) in the archive, found "
                        + data.size());
            }
            if (pickle != null && !mentionsFloatStorage(zip, pickle)) {
                throw new InvalidInputException(name + ": the tensor is not float32");
            }
            ZipEntry entry = data.get(0);
            byte[] bytes;
            try (InputStream in = zip.getInputStream(entry)) {
                bytes = in.readNBytes(BYTES + 1); // never more, whatever the entry claims
            }
            if (bytes.length != BYTES) {
                throw new InvalidInputException(name + ": expected a [" + STAGES + ", " + DIMENSION
                        + "] float32 tensor (" + BYTES + " bytes), found "
                        + (bytes.length <= BYTES ? Long.toString(bytes.length)
                        : entry.getSize() > BYTES ? Long.toString(entry.getSize()) : "more than " + BYTES) + " bytes");
            }
            ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            float[][] stages = new float[STAGES][DIMENSION];
            for (float[] stage : stages) {
                buf.asFloatBuffer().get(stage);
                buf.position(buf.position() + 4 * DIMENSION);
            }
            return stages;
        } catch (ZipException e) {
            throw new InvalidInputException(name + ": not a torch.save archive (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new InvalidInputException(name + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    private static boolean mentionsFloatStorage(ZipFile zip, ZipEntry pickle) throws IOException {
        try (InputStream in = zip.getInputStream(pickle)) {
            String text = new String(in.readNBytes(64 * 1024), StandardCharsets.ISO_8859_1);
            return text.contains("FloatStorage") || text.contains("float32");
        }
    }
}
