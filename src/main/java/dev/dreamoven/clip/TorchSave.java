package dev.dreamoven.clip;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipFile;

/**
 * One tensor saved with {@code torch.save(tensor, file)}: the archive's pickle is read (the same
 * small unpickler as {@link TorchScriptArchive}), so its element type, shape, strides and storage
 * size are what the file says, not guesses from byte counts.
 */
public final class TorchSave {

    /**
     * The saved tensor's layout and its storage.
     *
     * @param storageType PyTorch's storage class, e.g. {@code FloatStorage} (float32), {@code DoubleStorage}
     * @param storageElements the storage's element count as the pickle states it; -1 if it does not
     * @param storage the storage's raw little-endian bytes (at most the limit given to {@link #read})
     */
    public record Tensor(String storageType, long storageElements, long offset, long[] shape, long[] stride,
            byte[] storage, boolean storageTruncated) {

        /** The element type in numpy's words: float32, float64, float16, int32, … */
        public String dtype() {
            return switch (storageType) {
                case "FloatStorage" -> "float32";
                case "DoubleStorage" -> "float64";
                case "HalfStorage" -> "float16";
                case "BFloat16Storage" -> "bfloat16";
                case "IntStorage" -> "int32";
                case "LongStorage" -> "int64";
                case "ShortStorage" -> "int16";
                case "CharStorage" -> "int8";
                case "ByteStorage" -> "uint8";
                case "BoolStorage" -> "bool";
                default -> storageType;
            };
        }

        public String shapeText() {
            return Arrays.toString(shape);
        }

        /** The elements in row-major order as float32, following offset and strides. */
        public float[] values() throws IOException {
            return TorchScriptArchive.elements(new TorchScriptArchive.TensorRef("0", storageType, storageElements,
                    offset, shape, stride), storage, "the saved tensor");
        }
    }

    private TorchSave() {
    }

    /**
     * Reads the archive's pickle and the tensor's storage (at most {@code maxStorageBytes} of it).
     *
     * @throws IOException when the file is not a {@code torch.save} archive of one tensor; the
     *     message says what it holds instead
     */
    public static Tensor read(Path file, int maxStorageBytes) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Object root = TorchScriptArchive.savedRoot(zip);
            if (!(root instanceof TorchScriptArchive.TensorRef t)) {
                throw new IOException("it holds " + describe(root) + ", not one tensor");
            }
            byte[] storage = TorchScriptArchive.storageBytes(zip, t.storageKey(), maxStorageBytes + 1);
            if (storage == null) {
                throw new IOException("the tensor's storage (data/" + t.storageKey() + ") is missing");
            }
            boolean truncated = storage.length > maxStorageBytes;
            if (truncated) {
                storage = Arrays.copyOf(storage, maxStorageBytes);
            }
            return new Tensor(t.storageType(), t.storageElements(), t.offset(), t.shape(), t.stride(), storage,
                    truncated);
        }
    }

    private static String describe(Object o) {
        if (o instanceof java.util.Map<?, ?> m) {
            return "a dict of " + m.size() + " entries";
        }
        if (o instanceof java.util.List<?> l) {
            return "a list or tuple of " + l.size();
        }
        return o == null ? "nothing" : "an object (" + o.getClass().getSimpleName() + ")";
    }
}
