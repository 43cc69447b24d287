package dev.dreamoven.cli;

import dev.dreamoven.App;
import dev.dreamoven.InvalidInputException;
import dev.dreamoven.clip.ClipModels;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Which CLIP model a command uses; applied to the app before the model loads. */
final class ModelOptions {

    @Option(names = "--checkpoint", paramLabel = "FILE",
            description = "CLIP checkpoint: 'shapes' (shipped) or a .pt/.safetensors file (default: model.checkpoint).")
    String checkpoint;

    @Option(names = "--vocab", paramLabel = "FILE", description = "BPE vocabulary for a checkpoint file (default: model.vocab).")
    Path vocab;

    /** Checks the files exist (so the error comes before any work) and overrides the configuration. */
    void configure(App app) {
        if (checkpoint != null) {
            if (!checkpoint.equals(ClipModels.SHIPPED) && !Files.isRegularFile(Path.of(checkpoint))) {
                throw new InvalidInputException("checkpoint file " + checkpoint + " does not exist");
            }
            app.override("model.checkpoint", checkpoint);
        }
        if (vocab != null) {
            if (!Files.isRegularFile(vocab)) {
                throw new InvalidInputException("vocabulary file " + vocab + " does not exist");
            }
            app.override("model.vocab", vocab.toString());
        }
    }
}
