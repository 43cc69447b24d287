package dev.dreamoven.cli;

import dev.dreamoven.clip.ClipCheckpoints;
import dev.dreamoven.clip.ClipModels;
import dev.dreamoven.clip.ModelCatalog;
import dev.dreamoven.clip.ModelSpec;
import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.settings.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Which CLIP model a command uses; applied to the settings before the model loads. */
public final class ModelOptions {

    @Option(names = "--model", paramLabel = "NAME[,NAME[:WEIGHT]...]",
            description = "CLIP model by name: shapes, RN50, RN101, RN50x4, RN50x16, RN50x64, ViT-B/32, ViT-B/16, "
                    + "ViT-L/14, ViT-L/14@336px (downloaded on first use), or a checkpoint file; a comma list "
                    + "guides together, e.g. ViT-B/32,RN50:0.5 (setting model.name).")
    String model;

    @Option(names = "--checkpoint", paramLabel = "FILE",
            description = "CLIP checkpoint: 'shapes' (shipped) or a .pt/.safetensors file (default: "
                    + "${dreamoven.setting.model.checkpoint}, setting model.checkpoint).")
    String checkpoint;

    @Option(names = "--vocab", paramLabel = "FILE", description = "BPE vocabulary for a checkpoint file (default: "
            + "setting model.vocab; the shipped model has its own, OpenAI's is downloaded for named models).")
    Path vocab;

    /** Checks the files exist (so the error comes before any work) and overrides the model settings. */
    public Settings configure(Settings settings) {
        Settings.Model chosen = settings.model();
        if (model != null && checkpoint != null) {
            throw new InvalidInputException("give --model or --checkpoint, not both");
        }
        ModelCatalog catalog = ModelCatalog.openAi().withExtras(chosen.extraModels());
        if (checkpoint != null) {
            checkSources(checkpoint, catalog);
            chosen = chosen.withCheckpoint(checkpoint);
        }
        if (model != null) {
            checkSources(model, catalog);
            chosen = chosen.withName(model);
        }
        if (vocab != null) {
            if (!Files.isRegularFile(vocab)) {
                throw new InvalidInputException("vocabulary file " + vocab + " does not exist");
            }
            chosen = chosen.withVocab(vocab);
        }
        return settings.withModel(chosen);
    }

    /** Every file of the list exists; names are checked against the catalog when the model opens. */
    private static void checkSources(String spec, ModelCatalog catalog) {
        if (spec.strip().equals(ClipModels.SHIPPED) || Files.isRegularFile(Path.of(spec))) {
            return;
        }
        for (ModelSpec.Part part : ModelSpec.parse(spec).parts()) {
            String source = part.source();
            if (source.equals(ClipModels.SHIPPED) || catalog.find(source).isPresent()) {
                continue;
            }
            if (!Files.exists(Path.of(source)) && !source.endsWith(".pt") && !source.endsWith(".safetensors")) {
                throw new InvalidInputException("unknown model '" + source + "': use " + ClipModels.SHIPPED + ", "
                        + String.join(", ", catalog.names()) + ", or a checkpoint file");
            }
            ClipCheckpoints.checkFile(Path.of(source));
        }
    }
}
