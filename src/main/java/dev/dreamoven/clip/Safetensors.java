package dev.dreamoven.clip;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The safetensors format: an 8-byte little-endian header length, a JSON header
 * ({@code name → {dtype, shape, data_offsets}} plus optional string map {@code __metadata__}),
 * then the raw little-endian tensor bytes. Reads F32, F16 and BF16 (widened to float32), and
 * F64, I64 and I32 (converted; a PyTorch state dict holds e.g. BatchNorm's int64
 * {@code num_batches_tracked}), writes F32.
 */
public final class Safetensors {

    private static final Gson GSON = new Gson();
    private static final long MAX_HEADER = 100L * 1024 * 1024;

    /** One tensor as float32 values in row-major order. */
    public record Tensor(long[] shape, float[] values) {
        public Tensor {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            if (n != values.length) {
                throw new IllegalArgumentException("shape holds " + n + " values, got " + values.length);
            }
        }
    }

    /** The tensors, in file order, and the {@code __metadata__} strings. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
    }

    private Safetensors() {
    }

    public static Contents read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        }
    }

    public static Contents read(InputStream in) throws IOException {
        byte[] lenBytes = in.readNBytes(8);
        if (lenBytes.length < 8) {
            throw new IOException("not a safetensors file: shorter than its header length");
        }
        long headerLen = ByteBuffer.wrap(lenBytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLen <= 1 || headerLen > MAX_HEADER) {
            throw new IOException("not a safetensors file: header length " + headerLen);
        }
        byte[] header = in.readNBytes((int) headerLen);
        if (header.length != headerLen) {
            throw new IOException("safetensors header is truncated");
        }
        JsonObject json;
        try {
            json = GSON.fromJson(new String(header, StandardCharsets.UTF_8), JsonObject.class);
        } catch (RuntimeException e) {
            throw new IOException("safetensors header is not valid JSON: " + e.getMessage());
        }
        byte[] body = in.readAllBytes();
        Map<String, String> metadata = new TreeMap<>();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : json.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                e.getValue().getAsJsonObject().entrySet()
                        .forEach(m -> metadata.put(m.getKey(), m.getValue().getAsString()));
                continue;
            }
            JsonObject t = e.getValue().getAsJsonObject();
            String dtype = t.get("dtype").getAsString();
            var shapeJson = t.getAsJsonArray("shape");
            long[] shape = new long[shapeJson.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = shapeJson.get(i).getAsLong();
            }
            var offsets = t.getAsJsonArray("data_offsets");
            long begin = offsets.get(0).getAsLong();
            long end = offsets.get(1).getAsLong();
            if (begin < 0 || end < begin || end > body.length) {
                throw new IOException("tensor " + e.getKey() + " lies outside the file (" + begin + ".." + end + ")");
            }
            ByteBuffer buf = ByteBuffer.wrap(body, (int) begin, (int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
            float[] values = switch (dtype) {
                case "F32" -> {
                    float[] v = new float[(int) ((end - begin) / 4)];
                    buf.asFloatBuffer().get(v);
                    yield v;
                }
                case "F16" -> {
                    float[] v = new float[(int) ((end - begin) / 2)];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = halfToFloat(buf.getShort());
                    }
                    yield v;
                }
                case "BF16" -> {
                    float[] v = new float[(int) ((end - begin) / 2)];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = Float.intBitsToFloat((buf.getShort() & 0xffff) << 16);
                    }
                    yield v;
                }
                case "F64" -> {
                    float[] v = new float[(int) ((end - begin) / 8)];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = (float) buf.getDouble();
                    }
                    yield v;
                }
                case "I64" -> {
                    float[] v = new float[(int) ((end - begin) / 8)];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = (float) buf.getLong();
                    }
                    yield v;
                }
                case "I32" -> {
                    float[] v = new float[(int) ((end - begin) / 4)];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = (float) buf.getInt();
                    }
                    yield v;
                }
                default -> throw new IOException("tensor " + e.getKey() + " has unsupported dtype " + dtype);
            };
            try {
                tensors.put(e.getKey(), new Tensor(shape, values));
            } catch (IllegalArgumentException bad) {
                throw new IOException("tensor " + e.getKey() + ": " + bad.getMessage());
            }
        }
        return new Contents(tensors, metadata);
    }

    /** IEEE 754 binary16 → float32 (Java 17 has no Float.float16ToFloat). */
    public static float halfToFloat(short half) {
        int h = half & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) { // infinity or NaN
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            if (mant == 0) {
                return Float.intBitsToFloat(sign);
            }
            // subnormal half: value = mant * 2^-24
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }

    public static void write(OutputStream out, Map<String, Tensor> tensors, Map<String, String> metadata)
            throws IOException {
        JsonObject header = new JsonObject();
        if (!metadata.isEmpty()) {
            JsonObject meta = new JsonObject();
            metadata.forEach(meta::addProperty);
            header.add("__metadata__", meta);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            JsonObject t = new JsonObject();
            t.addProperty("dtype", "F32");
            var shape = new com.google.gson.JsonArray();
            for (long d : e.getValue().shape()) {
                shape.add(d);
            }
            t.add("shape", shape);
            var offs = new com.google.gson.JsonArray();
            offs.add(offset);
            offset += 4L * e.getValue().values().length;
            offs.add(offset);
            t.add("data_offsets", offs);
            header.add(e.getKey(), t);
        }
        byte[] headerBytes = GSON.toJson(header).getBytes(StandardCharsets.UTF_8);
        // Pad the header with spaces to 8 bytes so the data is aligned, as the reference writer does.
        int pad = (8 - headerBytes.length % 8) % 8;
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        h.write(headerBytes);
        for (int i = 0; i < pad; i++) {
            h.write(' ');
        }
        byte[] fullHeader = h.toByteArray();
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(fullHeader.length).array());
        out.write(fullHeader);
        for (Tensor t : tensors.values()) {
            ByteBuffer buf = ByteBuffer.allocate(4 * t.values().length).order(ByteOrder.LITTLE_ENDIAN);
            buf.asFloatBuffer().put(t.values());
            out.write(buf.array());
        }
    }
}
