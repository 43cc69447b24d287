package dev.dreamoven.cli;

import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.bake.Baker;
import dev.dreamoven.bake.Oven;
import dev.dreamoven.dream.DreamSettings;
import dev.dreamoven.settings.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bake PROMPT} / {@code bake --batch FILE}: learn staged CLIP targets for prompts. */
@Command(name = "bake", mixinStandardHelpOptions = true, subcommands = BakeImportCommand.class,
        description = "Bake prompts: distil the image-embedding path of an expensive render into stage "
                + "targets that a cheap microwave replays. Each bake is scored against a normal dream.")
public final class BakeCommand implements AppCommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "PROMPT", description = "The prompt to bake.")
    String prompt;

    @Option(names = "--batch", paramLabel = "FILE",
            description = "Bake every prompt of FILE (one a line, # comments); resumable: baked prompts are skipped.")
    Path batch;

    @Option(names = "--stages", paramLabel = "K", description = "Stage vectors (default: ${dreamoven.setting.bake.stages}, setting bake.stages).")
    Integer stages;

    @Option(names = "--size", paramLabel = "N", description = "Bake resolution (default: ${dreamoven.setting.dream.size}, setting dream.size).")
    Integer size;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed of the render (default: 1).")
    long seed;

    @Option(names = "--render-preset", paramLabel = "P", defaultValue = "best",
            description = "Preset of the expensive render that is distilled (default: best).")
    String renderPreset;

    @Option(names = "--replay-preset", paramLabel = "P", defaultValue = "draft",
            description = "Budget the bake is scored at (default: draft).")
    String replayPreset;

    @Option(names = "--render-steps", paramLabel = "N", description = "Steps of the render (default: the preset's).")
    Integer renderSteps;

    @Option(names = "--replay-steps", paramLabel = "N", description = "Steps of the scoring replay (default: the preset's).")
    Integer replaySteps;

    @Option(names = "--candidates", paramLabel = "N",
            description = "Renders from consecutive seeds; the one closest to the prompt is distilled (default: ${dreamoven.setting.bake.candidates}, setting bake.candidates).")
    Integer candidates;

    @Option(names = "--blend", paramLabel = "T", defaultValue = "0",
            description = "Blend the distilled stages toward the prompt, 0..1 (default: 0).")
    double blend;

    @Option(names = "--author", paramLabel = "NAME", defaultValue = "cli", description = "Recorded with the path.")
    String author;

    @picocli.CommandLine.Mixin
    ModelOptions model;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Settings configure(Settings settings) {
        return model.configure(settings);
    }

    @Override
    public int run(Services services) {
        if ((prompt == null) == (batch == null)) {
            throw new InvalidInputException("give either a PROMPT or --batch FILE");
        }
        List<String> prompts = prompt != null ? List.of(prompt) : readBatch(batch);
        int k = stages != null ? stages : services.settings().bake().stages();
        int side = size != null ? size : services.settings().dream().size();
        DreamSettings.Builder render = DreamSettings.preset(renderPreset).toBuilder().size(side).frameEvery(0);
        DreamSettings.Builder replay = DreamSettings.preset(replayPreset).toBuilder().size(side).frameEvery(0);
        if (renderSteps != null) {
            render.steps(renderSteps);
        }
        if (replaySteps != null) {
            replay.steps(replaySteps);
        }
        Baker.BakeSettings settings = new Baker.BakeSettings(k, render.build(), replay.build(), blend, 0.25,
                candidates != null ? candidates : services.settings().bake().candidates());
        Oven oven = services.oven();
        java.io.PrintWriter out = spec.commandLine().getOut();
        java.io.PrintWriter err = spec.commandLine().getErr();
        int baked = 0;
        int skipped = 0;
        List<String> failed = new ArrayList<>();
        for (String p : prompts) {
            if (batch != null && oven.store().findByPrompt(oven.modelId(), p).isPresent()) {
                skipped++;
                continue;
            }
            try (DreamProgressBar bar = new DreamProgressBar("bake " + (baked + skipped + failed.size() + 1) + "/"
                    + prompts.size(), err)) {
                Baker.BakeOutcome o = oven.bake(p, author, settings, seed, bar);
                bar.close();
                out.printf(Locale.ROOT, "baked %s '%s': microwave %.4f vs normal %.4f (render %.4f, seed %d)%n",
                        o.path().id(), o.path().prompt(), o.microwaveScore(), o.normalScore(), o.renderScore(),
                        o.renderSeed());
                baked++;
            } catch (InvalidInputException e) {
                if (batch == null) {
                    throw e;
                }
                err.println("bake: skipped '" + p + "': " + e.getMessage());
                failed.add(p);
            }
        }
        out.printf(Locale.ROOT, "bake: %d baked, %d already baked, %d failed%n", baked, skipped, failed.size());
        out.flush();
        return failed.isEmpty() ? 0 : 1;
    }

    private static List<String> readBatch(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).distinct().toList();
        } catch (IOException e) {
            throw new InvalidInputException("cannot read batch file " + file + ": " + e.getMessage());
        }
    }
}
