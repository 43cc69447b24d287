package dev.dreamoven.lab.toyworld;

import ai.djl.ndarray.NDManager;
import dev.dreamoven.clip.ClipCheckpoints;
import dev.dreamoven.clip.ClipModels;
import dev.dreamoven.clip.ClipTokenizer;
import dev.dreamoven.clip.LoadedClip;
import dev.dreamoven.clip.OpenAiClip;
import dev.dreamoven.common.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Toy-world models as the lab names them: the shipped one, a folder written by {@code toyworld
 * train} ({@code model.safetensors} and {@code vocab.txt.gz}), or a checkpoint file, whose vocabulary
 * is the {@code vocab.txt.gz} beside it or else the shipped one (every toy model is trained on the
 * world's own vocabulary).
 */
public final class ToyModels {

    private static final String SHIPPED_VOCAB = "/models/shapes/vocab.txt.gz";

    private ToyModels() {
    }

    /**
     * @param model a folder, a checkpoint file, or null for the shipped model
     * @param vocab the vocabulary, or empty for the one beside the model (else the shipped one)
     * @throws InvalidInputException with one line when a file is missing
     */
    public static LoadedClip open(Path model, Optional<Path> vocab, NDManager manager) {
        if (model == null) {
            return ClipModels.open(ClipModels.SHIPPED, Optional.empty(), manager);
        }
        Path file = Files.isDirectory(model) ? model.resolve("model.safetensors") : model;
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException("no model at " + model + " (a model.safetensors file, or a folder with one)");
        }
        Optional<Path> merges = vocab.or(() -> Optional.of(file.resolveSibling("vocab.txt.gz")).filter(Files::isRegularFile));
        if (merges.isPresent() && !Files.isRegularFile(merges.get())) {
            throw new InvalidInputException("vocabulary file " + merges.get() + " does not exist");
        }
        ClipTokenizer tokenizer = merges.map(ClipTokenizer::load).orElseGet(ToyModels::shippedVocabulary);
        OpenAiClip clip = ClipCheckpoints.load(file, manager);
        if (tokenizer.vocabSize() != clip.config().vocabSize()) {
            clip.close();
            throw new InvalidInputException("the vocabulary has " + tokenizer.vocabSize() + " tokens but the model at "
                    + model + " expects " + clip.config().vocabSize() + ": give its vocabulary file");
        }
        return new LoadedClip(clip, tokenizer.withContextLength(clip.config().contextLength()));
    }

    private static ClipTokenizer shippedVocabulary() {
        try (InputStream in = ToyModels.class.getResourceAsStream(SHIPPED_VOCAB)) {
            if (in == null) {
                throw new InvalidInputException("the shipped vocabulary is not in this build; give a vocabulary file");
            }
            return ClipTokenizer.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("the shipped vocabulary cannot be read", e);
        }
    }
}
