package dev.dreamoven.cli;

import dev.dreamoven.clip.ClipCheckpoints;
import dev.dreamoven.clip.ClipModels;
import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.settings.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Which CLIP model a command uses; applied to the settings before the model loads. */
public final class ModelOptions {

    @Option(names = "--checkpoint", paramLabel = "FILE",
            description = "CLIP checkpoint: 'shapes' (shipped) or a .pt/.safetensors file (default: "
                    + "${dreamoven.setting.model.checkpoint}, setting model.checkpoint).")
    String checkpoint;

    @Option(names = "--vocab", paramLabel = "FILE", description = "BPE vocabulary for a checkpoint file (default: setting model.vocab; the shipped model has its own).")
    Path vocab;

    /** Checks the files exist (so the error comes before any work) and overrides the model settings. */
    public Settings configure(Settings settings) {
        Settings.Model model = settings.model();
        if (checkpoint != null) {
            if (!checkpoint.equals(ClipModels.SHIPPED)) {
                ClipCheckpoints.checkFile(Path.of(checkpoint));
            }
            model = new Settings.Model(checkpoint, model.vocab());
        }
        if (vocab != null) {
            if (!Files.isRegularFile(vocab)) {
                throw new InvalidInputException("vocabulary file " + vocab + " does not exist");
            }
            model = new Settings.Model(model.checkpoint(), Optional.of(vocab));
        }
        return settings.withModel(model);
    }
}
