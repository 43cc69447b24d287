package dev.dreamoven.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;
import dev.dreamoven.common.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads OpenAI-layout CLIP weights, ViT or ResNet: OpenAI's TorchScript archives (e.g.
 * {@code ViT-B-32.pt}, {@code RN50.pt}; float16, float32 or mixed storage; the parameters through
 * libtorch, the BatchNorm buffers from the archive's pickle, no TorchScript method runs) and
 * {@code .safetensors} files with the same key names. Everything comes back as float32.
 */
public final class ClipCheckpoints {

    /** Safetensors metadata keys that name the model instead of the file name. */
    private static final String[] ID_KEYS = {"model_id", "id"};

    private ClipCheckpoints() {
    }

    /**
     * A {@code .pt} TorchScript archive or a {@code .safetensors} file, by its content (a zip archive
     * is TorchScript). The model id is the file name without extension unless safetensors
     * metadata names it.
     *
     * @param manager the parent of the model's own manager
     * @throws InvalidInputException with one line when the file is missing or not a CLIP checkpoint
     */
    public static OpenAiClip load(Path file, NDManager manager) {
        checkFile(file);
        byte[] magic;
        long size;
        try (InputStream in = Files.newInputStream(file)) {
            magic = in.readNBytes(8);
            size = Files.size(file);
        } catch (IOException e) {
            throw new InvalidInputException("checkpoint file " + file + " cannot be read: " + e.getMessage(), e);
        }
        boolean zip = magic.length >= 2 && magic[0] == 'P' && magic[1] == 'K';
        if (zip) {
            return loadTorchScript(file, manager);
        }
        long headerLength = magic.length == 8
                ? java.nio.ByteBuffer.wrap(magic).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong() : -1;
        if (headerLength < 2 || headerLength > size - 8) {
            throw new InvalidInputException("checkpoint file " + file + " is neither a TorchScript archive (.pt, a zip "
                    + "file) nor a .safetensors file: give a CLIP checkpoint such as OpenAI's ViT-B-32.pt");
        }
        return loadSafetensors(file, manager);
    }

    /**
     * Refuses a checkpoint path that is missing or a folder, saying what to give instead.
     *
     * @throws InvalidInputException with one line for the user
     */
    public static void checkFile(Path file) {
        if (Files.isDirectory(file)) {
            java.util.List<Path> inside = java.util.List.of();
            try (java.util.stream.Stream<Path> files = Files.list(file)) {
                inside = files.filter(f -> f.toString().endsWith(".pt") || f.toString().endsWith(".safetensors"))
                        .sorted().toList();
            } catch (IOException e) {
                // no suggestion then
            }
            throw new InvalidInputException("checkpoint " + file + " is a folder; give the checkpoint file itself"
                    + (inside.isEmpty() ? " (a .pt or .safetensors file)"
                    : ", e.g. --checkpoint " + inside.get(0)));
        }
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException("checkpoint file " + file + " does not exist");
        }
    }

    /** An OpenAI TorchScript archive; its parameters are converted to float32. */
    public static OpenAiClip loadTorchScript(Path file, NDManager manager) {
        checkFile(file);
        Map<String, NDArray> params = new LinkedHashMap<>();
        try (NDManager scratch = manager.newSubManager()) {
            PtSymbolBlock block;
            try {
                block = JniUtils.loadModule((PtNDManager) scratch, file.toAbsolutePath(), true,
                        new String[0], new String[0], false);
            } catch (RuntimeException e) {
                throw new InvalidInputException("checkpoint file " + file + " is not a readable TorchScript archive ("
                        + firstLine(e) + ")", e);
            }
            try {
                for (Pair<String, Parameter> p : block.getDirectParameters()) {
                    NDArray array = p.getValue().getArray();
                    // A copy through Java memory: detached from the TorchScript module and its
                    // inference-mode tensors, so gradients can later flow through it.
                    float[] values = array.toType(DataType.FLOAT32, false).toFloatArray();
                    params.put(p.getKey(), manager.create(values, array.getShape()));
                }
            } finally {
                block.close();
            }
        }
        // DJL lists a TorchScript module's parameters only; the BatchNorm running statistics of a
        // ResNet tower are buffers, so they are read from the archive's pickle (a ViT has none).
        try {
            TorchScriptArchive.read(file, name -> BatchNorm2d.isBuffer(name) && !params.containsKey(name))
                    .forEach((k, t) -> params.put(k, manager.create(t.values(), new Shape(t.shape()))));
        } catch (IOException | RuntimeException e) {
            params.values().forEach(NDArray::close);
            throw new InvalidInputException("checkpoint file " + file + " is not a readable TorchScript archive ("
                    + firstLine(e) + ")", e);
        }
        return build(stripExtension(file), params);
    }

    /** A safetensors file with OpenAI key names. */
    public static OpenAiClip loadSafetensors(Path file, NDManager manager) {
        checkFile(file);
        try (InputStream in = Files.newInputStream(file)) {
            return loadSafetensors(in, stripExtension(file), manager, "checkpoint file " + file, "");
        } catch (IOException e) {
            throw new InvalidInputException("checkpoint file " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Safetensors bytes, e.g. a model shipped as a jar resource.
     *
     * @param defaultId the model id unless the metadata names one
     */
    public static OpenAiClip loadSafetensors(InputStream in, String defaultId, NDManager manager) {
        return loadSafetensors(in, defaultId, manager, "checkpoint '" + defaultId + "'", "");
    }

    /**
     * As {@link #loadSafetensors(InputStream, String, NDManager)}, with {@code "-" + version}
     * appended to the id, so that weights retrained under the same name get a new id (baked paths
     * serve only the exact weights they were baked with).
     */
    public static OpenAiClip loadSafetensors(InputStream in, String defaultId, String version, NDManager manager) {
        return loadSafetensors(in, defaultId, manager, "checkpoint '" + defaultId + "'", "-" + version);
    }

    private static OpenAiClip loadSafetensors(InputStream in, String defaultId, NDManager manager, String what,
            String idSuffix) {
        Safetensors.Contents contents;
        try {
            contents = Safetensors.read(in);
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException(what + " is not a CLIP checkpoint (" + firstLine(e) + ")", e);
        }
        String id = defaultId;
        for (String key : ID_KEYS) {
            String named = contents.metadata().get(key);
            if (named != null && !named.isBlank()) {
                id = named;
                break;
            }
        }
        Map<String, NDArray> params = new LinkedHashMap<>();
        contents.tensors().forEach((k, t) -> params.put(k, manager.create(t.values(), new Shape(t.shape()))));
        OpenAiClip model = build(id + idSuffix, params);
        model.palette(palette(contents.metadata().get(PALETTE_KEY)));
        return model;
    }

    /** Safetensors metadata key of the recommended palette: comma-separated {@code #RRGGBB} colours. */
    public static final String PALETTE_KEY = "palette";

    /** The colours of a {@link #PALETTE_KEY} value; empty for none or an unreadable value. */
    static List<Integer> palette(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        List<Integer> colours = new java.util.ArrayList<>();
        for (String part : value.split(",")) {
            String hex = part.strip();
            if (hex.startsWith("#")) {
                hex = hex.substring(1);
            }
            if (!hex.matches("[0-9a-fA-F]{6}")) {
                return List.of();
            }
            colours.add(Integer.parseInt(hex, 16));
        }
        return colours;
    }

    private static OpenAiClip build(String id, Map<String, NDArray> params) {
        try {
            OpenAiClip model = new OpenAiClip(id, params);
            params.forEach((k, v) -> {
                if (!model.parameters().containsKey(k) && !model.buffers().containsKey(k)) {
                    v.close(); // e.g. input_resolution, context_length, vocab_size in OpenAI's archives
                }
            });
            return model;
        } catch (RuntimeException e) {
            params.values().forEach(NDArray::close);
            throw e;
        }
    }

    private static String stripExtension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static String firstLine(Throwable e) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = msg.indexOf('\n');
        msg = nl >= 0 ? msg.substring(0, nl) : msg;
        return msg.length() > 200 ? msg.substring(0, 200) + "..." : msg.strip();
    }
}
