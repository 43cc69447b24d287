package dev.dreamoven.clip;

import ai.djl.ndarray.NDManager;
import dev.dreamoven.common.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Opens CLIP models: the shipped toy model {@value #SHIPPED} (jar resources
 * {@code /models/shapes/model.safetensors} and {@code /models/shapes/vocab.txt.gz}), OpenAI's
 * released models by name ({@link ModelCatalog}, downloaded on first use), a checkpoint file
 * ({@code .pt} TorchScript or {@code .safetensors}), or several of them as a {@link ClipEnsemble}.
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
     * A checkpoint file or the shipped model, without downloads: as {@link #open(String, Optional,
     * NamedModels, NDManager)} with no named models.
     */
    public static LoadedClip open(String checkpoint, Optional<Path> vocab, NDManager manager) {
        return open(checkpoint, vocab, null, manager);
    }

    /**
     * The model, or ensemble, that {@code spec} names ({@link ModelSpec}): {@value #SHIPPED}, a
     * catalog name (downloaded into the cache on first use), or a checkpoint file; a comma list
     * guides as a {@link ClipEnsemble}. OpenAI models share one BPE vocabulary: {@code vocab} when
     * given, else OpenAI's, downloaded like a checkpoint.
     *
     * @param named the catalog and where downloads go; null: files and the shipped model only
     * @param manager the parent of the models' managers
     * @throws InvalidInputException with one line when something is missing, unknown or unreadable
     */
    public static LoadedClip open(String spec, Optional<Path> vocab, NamedModels named, NDManager manager) {
        if (spec == null || spec.isBlank()) {
            throw new InvalidInputException("no CLIP model given: use 'shapes', a name such as ViT-B/32, "
                    + "or a .pt/.safetensors file");
        }
        if (spec.strip().equals(SHIPPED)) {
            return openShipped(manager);
        }
        // A file whose name has a comma or a colon is still one file.
        ModelSpec parsed = Files.isRegularFile(Path.of(spec)) ? new ModelSpec(List.of(new ModelSpec.Part(spec, 1)))
                : ModelSpec.parse(spec);
        // Without downloads the vocabulary is checked first (it is the usual omission); with them,
        // OpenAI's is fetched only once the checkpoints are known to exist.
        Path vocabFile = vocab.isPresent() || named == null ? vocabulary(vocab, named, parsed) : null;
        List<Path> files = new ArrayList<>();
        for (ModelSpec.Part part : parsed.parts()) {
            files.add(checkpointFile(part.source(), parsed, named));
        }
        ClipTokenizer tokenizer = ClipTokenizer.load(vocabFile != null ? vocabFile : named.openAiVocab());
        List<OpenAiClip> models = new ArrayList<>();
        try {
            for (Path file : files) {
                models.add(ClipCheckpoints.load(file, manager));
            }
            ClipModel model = models.size() == 1 ? models.get(0)
                    : new ClipEnsemble(models, parsed.parts().stream().map(ModelSpec.Part::weight).toList());
            return withTokenizer(model, tokenizer);
        } catch (RuntimeException e) {
            models.forEach(OpenAiClip::close);
            throw e;
        }
    }

    /** A catalog name's cached (downloaded) file, or the file itself. */
    private static Path checkpointFile(String source, ModelSpec spec, NamedModels named) {
        if (source.equals(SHIPPED)) {
            throw new InvalidInputException("the shipped model '" + SHIPPED + "' has its own vocabulary and cannot "
                    + "guide together with other models");
        }
        Optional<ModelCatalog.Entry> entry = named == null ? Optional.empty() : named.catalog().find(source);
        if (entry.isPresent()) {
            return named.checkpoint(entry.get());
        }
        Path file = Path.of(source);
        if (!Files.exists(file) && named != null && !source.endsWith(".pt") && !source.endsWith(".safetensors")) {
            throw new InvalidInputException("unknown model '" + source + "': use " + SHIPPED + ", "
                    + String.join(", ", named.catalog().names()) + ", or a checkpoint file");
        }
        ClipCheckpoints.checkFile(file);
        return file;
    }

    private static Path vocabulary(Optional<Path> vocab, NamedModels named, ModelSpec spec) {
        if (vocab.isPresent()) {
            return vocab.get();
        }
        if (named == null) {
            throw new InvalidInputException("checkpoint " + spec.parts().get(0).source() + " needs its BPE vocabulary "
                    + "file (bpe_simple_vocab_16e6.txt.gz for OpenAI's models): set model.vocab or --vocab");
        }
        return named.openAiVocab();
    }

    /** The context length of every OpenAI CLIP model (their text towers read 77 tokens). */
    static final int OPENAI_CONTEXT_LENGTH = 77;

    /**
     * The tokenizer of what {@code spec} names, with its context length, without loading (or
     * downloading) a model, where that is known without the weights: OpenAI's catalog models (their
     * vocabulary, 77 tokens). Empty for anything else (the shipped model, a checkpoint file, an extra
     * catalog entry): only the model itself says its context length.
     */
    public static Optional<ClipTokenizer> promptTokenizer(String spec, Optional<Path> vocab, NamedModels named) {
        if (spec == null || spec.isBlank() || spec.strip().equals(SHIPPED) || named == null
                || Files.isRegularFile(Path.of(spec))) {
            return Optional.empty();
        }
        ModelSpec parsed;
        try {
            parsed = ModelSpec.parse(spec);
        } catch (InvalidInputException e) {
            return Optional.empty(); // the full load says what is wrong
        }
        ModelCatalog openAi = ModelCatalog.openAi();
        if (!parsed.parts().stream().allMatch(p -> openAi.find(p.source()).isPresent())) {
            return Optional.empty();
        }
        return Optional.of(ClipTokenizer.load(vocab.orElseGet(named::openAiVocab))
                .withContextLength(OPENAI_CONTEXT_LENGTH));
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

    private static LoadedClip withTokenizer(ClipModel model, ClipTokenizer tokenizer) {
        if (tokenizer.vocabSize() != model.config().vocabSize()) {
            model.close();
            throw new InvalidInputException("the vocabulary has " + tokenizer.vocabSize()
                    + " tokens but the model '" + model.id() + "' expects " + model.config().vocabSize()
                    + ": wrong vocabulary file for this checkpoint");
        }
        return new LoadedClip(model, tokenizer.withContextLength(model.config().contextLength()));
    }
}
