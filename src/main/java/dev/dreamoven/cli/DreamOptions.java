package dev.dreamoven.cli;

import dev.dreamoven.bake.Oven;
import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.dream.DreamRequest;
import dev.dreamoven.dream.DreamSettings;
import dev.dreamoven.dream.GuideFeature;
import dev.dreamoven.dream.GuideTarget;
import dev.dreamoven.image.Palette;
import dev.dreamoven.settings.Settings;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How to dream: the options of {@code dream} that shape the picture (model, preset, size, steps,
 * palette, negatives, detail features), apart from the seed and the files. A mixin, so that every
 * command that dreams (dream, microwave, the lab's eval) reads them the same way.
 */
public final class DreamOptions {

    @Option(names = "--negative", paramLabel = "TEXT", description = "A prompt to steer away from (repeatable).")
    List<String> negatives = new ArrayList<>();

    @Option(names = "--size", paramLabel = "N",
            description = "Picture side in pixels, 16-256 (default: ${dreamoven.setting.dream.size}, setting dream.size).")
    Integer size;

    @Option(names = "--steps", paramLabel = "N", description = "Optimization steps, 1-2000 (default: the preset's).")
    Integer steps;

    @Option(names = "--preset", paramLabel = "P", description = "draft, normal or best (default: "
            + "${dreamoven.setting.dream.preset}, setting dream.preset); see the presets below.")
    String preset;

    @Option(names = "--palette", paramLabel = "P",
            description = "none (17 levels), pico8, gameboy, nes, or hex colours like '#DC2828,#28B43C' "
                    + "(default: ${dreamoven.setting.dream.palette}, setting dream.palette).")
    String palette;

    @Option(names = "--scale", paramLabel = "N",
            description = "Nearest-neighbour upscale, 1-32 (default: ${dreamoven.setting.dream.scale}, setting dream.scale).")
    Integer scale;

    @Mixin
    ModelOptions model;

    @Option(names = "--select-best", paramLabel = "TEXT",
            description = "A detail feature (repeatable): per view only the best-matching one pulls, and each "
                    + "feature's wins are reported (CLIPig's select: best).")
    List<String> selectBest = new ArrayList<>();

    @Option(names = "--select-from", paramLabel = "F", defaultValue = "0.3",
            description = "Fraction of the run at which the --select-best features start (default: 0.3).")
    double selectFrom;

    @Option(names = "--select-weight", paramLabel = "W", defaultValue = "0.5",
            description = "Weight of the --select-best group against the prompt's 1 (default: 0.5).")
    double selectWeight;

    /** Applies the model choice before anything loads. */
    public Settings configure(Settings settings) {
        return model.configure(settings);
    }

    /** The preset asked for, or {@code fallback} (the configured default) when none was. */
    public String presetOr(String fallback) {
        return preset != null ? preset : fallback;
    }

    /** Refuses bad options before the model loads. */
    public void validate() {
        // 0 means "the default" in a DreamRequest, so explicit values are checked here, before the model loads.
        if (size != null) {
            DreamRequest.checkRange("size", size, DreamSettings.MIN_SIZE, DreamSettings.MAX_SIZE);
        }
        if (steps != null) {
            DreamRequest.checkRange("steps", steps, DreamRequest.MIN_STEPS, DreamRequest.MAX_STEPS);
        }
        if (scale != null) {
            DreamRequest.checkRange("scale", scale, 1, DreamRequest.MAX_SCALE);
        }
        for (String n : negatives) {
            if (n == null || n.isBlank()) {
                throw new InvalidInputException("a negative prompt is empty");
            }
        }
        if (palette != null) {
            Palette.parse(palette); // refused now, before the model loads
        }
        if (preset != null) {
            DreamSettings.preset(preset);
        }
        if (!selectBest.isEmpty() && !(selectFrom >= 0 && selectFrom < 1)) {
            throw new InvalidInputException("--select-from must lie in [0, 1), got " + selectFrom);
        }
        for (String text : selectBest) {
            if (text.isBlank()) {
                throw new InvalidInputException("a --select-best feature is empty");
            }
        }
    }

    /** The request for {@code prompt} with these options, under {@code preset} when not null, else the asked one. */
    public DreamRequest request(String prompt, DreamRequest.Mode mode, long seed, String preset) {
        return new DreamRequest(prompt, negatives, size == null ? 0 : size, steps == null ? 0 : steps, seed,
                preset != null ? preset : this.preset, palette, scale == null ? 0 : scale, mode);
    }

    /** What the oven will cook for {@code request}: its recipe plus the CLIPig-style detail group, if any. */
    public Oven.Recipe recipe(Oven oven, DreamRequest request) {
        Oven.Recipe recipe = oven.prepare(request);
        if (selectBest.isEmpty()) {
            return recipe;
        }
        List<GuideFeature> features = new ArrayList<>();
        for (String text : selectBest) {
            features.add(new GuideFeature(text.strip(), oven.embed(text.strip()), 1.0));
        }
        return recipe.withExtraTargets(List.of(new GuideTarget("details", features, true, selectFrom, 1, selectWeight)));
    }
}
