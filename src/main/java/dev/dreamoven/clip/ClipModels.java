package dev.dreamoven.clip;

import ai.djl.ndarray.NDManager;
import dev.dreamoven.common.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The model catalog: the shipped toy model {@value #SHIPPED} (jar resources
 * {@code /models/shapes/model.safetensors} and {@code /models/shapes/vocab.txt.gz}), or a checkpoint
 * file ({@code .pt} TorchScript or {@code .safetensors}) with a BPE vocabulary file.
 */
public final class ClipModels {

    public static final String SHIPPED = "shapes";
    static final String SHIPPED_MODEL = "/models/shapes/model.safetensors";
    static final String SHIPPED_VOCAB = "/models/shapes/vocab.txt.gz";

    private ClipModels() {
    }

    /** Whether this build carries the shipped model. */
    public static boolean shippedModelPresent() {
        return ClipModels.class.getResource(SHIPPED_MODEL) != null
                && ClipModels.class.getResource(SHIPPED_VOCAB) != null;
    }

    /**
     * @param checkpoint {@value #SHIPPED} or a checkpoint file path
     * @param vocab the BPE merges file; required for a file checkpoint, ignored for the shipped model
     * @param manager the parent of the model's manager
     * @throws InvalidInputException with one line when something is missing or unreadable
     */
    public static LoadedClip open(String checkpoint, Optional<Path> vocab, NDManager manager) {
        if (checkpoint == null || checkpoint.isBlank()) {
            throw new InvalidInputException("no CLIP checkpoint given: use 'shapes' or a .pt/.safetensors file");
        }
        if (checkpoint.equals(SHIPPED)) {
            return openShipped(manager);
        }
        Path file = Path.of(checkpoint);
        if (vocab.isEmpty()) {
            throw new InvalidInputException("checkpoint " + checkpoint + " needs its BPE vocabulary file "
                    + "(bpe_simple_vocab_16e6.txt.gz for OpenAI's models): set model.vocab or --vocab");
        }
        ClipTokenizer tokenizer = ClipTokenizer.load(vocab.get());
        OpenAiClip model = ClipCheckpoints.load(file, manager);
        return withTokenizer(model, tokenizer);
    }

    /** The shipped model's own tokenizer (its vocabulary), without loading the model. */
    public static ClipTokenizer shippedTokenizer() {
        if (!shippedModelPresent()) {
            throw new InvalidInputException("the shipped model '" + SHIPPED + "' is not in this build; "
                    + "give a checkpoint file (e.g. ViT-B-32.pt) and its vocabulary instead");
        }
        try (InputStream in = ClipModels.class.getResourceAsStream(SHIPPED_VOCAB)) {
            return ClipTokenizer.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("the shipped vocabulary cannot be read", e);
        }
    }

    private static LoadedClip openShipped(NDManager manager) {
        ClipTokenizer tokenizer = shippedTokenizer();
        OpenAiClip model;
        try (InputStream in = ClipModels.class.getResourceAsStream(SHIPPED_MODEL)) {
            byte[] bytes = in.readAllBytes();
            model = ClipCheckpoints.loadSafetensors(new java.io.ByteArrayInputStream(bytes), SHIPPED,
                    weightsHash(bytes), manager);
        } catch (IOException e) {
            throw new UncheckedIOException("the shipped model cannot be read", e);
        }
        return withTokenizer(model, tokenizer);
    }

    /**
     * First 8 hex digits of the SHA-256 of a safetensors file's tensor bytes (after its header): the
     * version of the shipped weights. The header is left out so that its metadata (a recommended
     * palette, training notes) can change without orphaning the paths baked with these weights.
     */
    static String weightsHash(byte[] safetensors) {
        long headerLength = java.nio.ByteBuffer.wrap(safetensors, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        int start = Math.toIntExact(8 + headerLength);
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            sha.update(safetensors, start, safetensors.length - start);
            return java.util.HexFormat.of().formatHex(sha.digest()).substring(0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static LoadedClip withTokenizer(OpenAiClip model, ClipTokenizer tokenizer) {
        if (tokenizer.vocabSize() != model.config().vocabSize()) {
            model.close();
            throw new InvalidInputException("the vocabulary has " + tokenizer.vocabSize()
                    + " tokens but the model '" + model.id() + "' expects " + model.config().vocabSize()
                    + ": wrong vocabulary file for this checkpoint");
        }
        return new LoadedClip(model, tokenizer.withContextLength(model.config().contextLength()));
    }
}
