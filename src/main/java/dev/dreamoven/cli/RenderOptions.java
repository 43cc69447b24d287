package dev.dreamoven.cli;

import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.common.IoErrors;
import dev.dreamoven.bake.Oven;
import dev.dreamoven.dream.DreamRequest;
import dev.dreamoven.dream.DreamSettings;
import dev.dreamoven.settings.Settings;
import dev.dreamoven.dream.GuideFeature;
import dev.dreamoven.dream.GuideTarget;
import dev.dreamoven.image.AtomicFiles;
import dev.dreamoven.image.GifFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options every picture-making command shares (dream, microwave). */
final class RenderOptions {

    @Option(names = "--negative", paramLabel = "TEXT", description = "A prompt to steer away from (repeatable).")
    List<String> negatives = new ArrayList<>();

    @Option(names = "--size", paramLabel = "N",
            description = "Picture side in pixels, 16-256 (default: ${dreamoven.setting.dream.size}, setting dream.size).")
    Integer size;

    @Option(names = "--steps", paramLabel = "N", description = "Optimization steps, 1-2000 (default: the preset's).")
    Integer steps;

    @Option(names = "--seed", paramLabel = "N", description = "Random seed, 0-2^53 (default: a new one, printed).")
    Long seed;

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

    /** Where a picture goes without {@code --out}; an existing one is never overwritten. */
    static final Path DEFAULT_OUT = Path.of("dream.png");

    @Option(names = "--out", paramLabel = "FILE.png", description = "Where to write the picture; an existing file is "
            + "replaced (default: dream.png, or dream-2.png, dream-3.png, ... when that exists).")
    Path out;

    @Option(names = "--gif", paramLabel = "FILE.gif", description = "Also write a timelapse GIF.")
    Path gif;

    /** Applies the model choice before anything loads. */
    Settings configure(Settings settings) {
        return model.configure(settings);
    }

    /**
     * Refuses bad options before the model loads, with the limits every transport shares
     * ({@link DreamRequest#validate}), and makes sure the picture can be written where it goes.
     */
    void validate(DreamRequest request) {
        // 0 means "the default" in a DreamRequest, so explicit values are checked here too.
        if (size != null) {
            DreamRequest.checkRange("size", size, DreamSettings.MIN_SIZE, DreamSettings.MAX_SIZE);
        }
        if (steps != null) {
            DreamRequest.checkRange("steps", steps, DreamRequest.MIN_STEPS, DreamRequest.MAX_STEPS);
        }
        if (scale != null) {
            DreamRequest.checkRange("scale", scale, 1, DreamRequest.MAX_SCALE);
        }
        request.validate();
        if (out == null) {
            out = firstFree(DEFAULT_OUT);
        }
        checkOutput(out, ".png");
        if (gif != null) {
            checkOutput(gif, ".gif");
        }
    }

    /** {@code dream.png}, else {@code dream-2.png}, {@code dream-3.png}, …: never an existing file. */
    static Path firstFree(Path file) {
        if (!Files.exists(file)) {
            return file;
        }
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        for (int n = 2; ; n++) {
            Path candidate = file.resolveSibling(name.substring(0, dot) + "-" + n + name.substring(dot));
            if (!Files.exists(candidate)) {
                return candidate;
            }
        }
    }

    /** The file name, its folder, and a trial write there: a dream never ends in "cannot write". */
    private static void checkOutput(Path file, String extension) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        if (!name.toLowerCase(Locale.ROOT).endsWith(extension)) {
            throw new InvalidInputException("output " + file + " must end with " + extension);
        }
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new InvalidInputException("folder of " + file + " does not exist");
        }
        if (Files.isDirectory(file)) {
            throw new InvalidInputException("output " + file + " is a folder");
        }
        if (Files.exists(file) && !Files.isWritable(file)) {
            throw new InvalidInputException("cannot write " + file + ": permission denied");
        }
        try {
            Path probe = Files.createTempFile(dir, ".dreamoven-write-check-", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw new InvalidInputException("cannot write " + file + " in " + dir + ": " + IoErrors.reason(e), e);
        }
    }

    /** The CLIPig-style detail group, if any. */
    Oven.Recipe withDetails(Oven oven, Oven.Recipe recipe) {
        if (selectBest.isEmpty()) {
            return recipe;
        }
        if (!(selectFrom >= 0 && selectFrom < 1)) {
            throw new InvalidInputException("--select-from must lie in [0, 1), got " + selectFrom);
        }
        List<GuideFeature> features = new ArrayList<>();
        for (String text : selectBest) {
            if (text.isBlank()) {
                throw new InvalidInputException("a --select-best feature is empty");
            }
            features.add(new GuideFeature(text.strip(), oven.embed(text.strip()), 1.0));
        }
        return recipe.withExtraTargets(List.of(new GuideTarget("details", features, true, selectFrom, 1, selectWeight)));
    }

    DreamRequest request(String prompt, DreamRequest.Mode mode) {
        long s = seed != null ? seed : new SecureRandom().nextLong() & 0xffffffffL;
        return new DreamRequest(prompt, negatives, size == null ? 0 : size, steps == null ? 0 : steps, s, preset, palette,
                scale == null ? 0 : scale, mode);
    }

    /** Writes the picture (and the timelapse) atomically: a failure leaves no partial file. */
    void write(Oven.Cooked cooked) {
        try {
            AtomicFiles.write(out, cooked.png());
            if (gif != null) {
                GifFiles.write(gif, cooked.timelapse(), 80, true);
            }
        } catch (IOException e) {
            throw new InvalidInputException("cannot write " + out + ": " + IoErrors.reason(e), e);
        }
    }
}
