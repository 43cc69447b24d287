package dev.dreamoven.cli;

import ai.djl.ndarray.NDManager;
import dev.dreamoven.App;
import dev.dreamoven.InvalidInputException;
import dev.dreamoven.clip.ClipModels;
import dev.dreamoven.clip.LoadedClip;
import dev.dreamoven.config.AppConfig;
import dev.dreamoven.dream.DreamListener;
import dev.dreamoven.dream.DreamProgress;
import dev.dreamoven.dream.DreamRequest;
import dev.dreamoven.dream.DreamSettings;
import dev.dreamoven.dream.Dreamer;
import dev.dreamoven.dream.PromptDreamer;
import dev.dreamoven.image.GifFiles;
import dev.dreamoven.image.Palette;
import dev.dreamoven.image.PixelArt;
import dev.dreamoven.image.PngFiles;
import dev.dreamoven.image.RgbImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dream "PROMPT"}: one normal dream on the command line. Everything is checked before the
 * model loads; the PNG (and GIF) are written atomically only when the dream finished.
 */
@Command(name = "dream", mixinStandardHelpOptions = true,
        description = "Dream a pixel-art picture of PROMPT and write it as PNG (progress on stderr).")
public final class DreamCommand implements Callable<Integer> {

    static final int MAX_SCALE = 32;

    private final App app;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PROMPT", description = "What to dream.")
    String prompt;

    @Option(names = "--negative", paramLabel = "TEXT", description = "A prompt to steer away from (repeatable).")
    List<String> negatives = new ArrayList<>();

    @Option(names = "--size", paramLabel = "N", description = "Picture side in pixels, 16-256 (default: dream.size).")
    Integer size;

    @Option(names = "--steps", paramLabel = "N", description = "Optimization steps (default: the preset's).")
    Integer steps;

    @Option(names = "--seed", paramLabel = "N", description = "Random seed (default: random, printed and stored in the PNG).")
    Long seed;

    @Option(names = "--preset", paramLabel = "P", description = "draft, normal or best (default: dream.preset).")
    String preset;

    @Option(names = "--palette", paramLabel = "P", description = "none, pico8, gameboy, nes or hex colours (default: dream.palette).")
    String palette;

    @Option(names = "--scale", paramLabel = "N", description = "Nearest-neighbour upscale, 1-" + MAX_SCALE + " (default: dream.scale).")
    Integer scale;

    @Option(names = "--checkpoint", paramLabel = "FILE", description = "CLIP checkpoint (default: model.checkpoint).")
    String checkpoint;

    @Option(names = "--vocab", paramLabel = "FILE", description = "BPE vocabulary of the checkpoint (default: model.vocab).")
    Path vocab;

    @Option(names = "--out", paramLabel = "FILE.png", description = "Output PNG (default: dream-SEED.png).")
    Path out;

    @Option(names = "--gif", paramLabel = "FILE.gif", description = "Also write a timelapse GIF.")
    Path gif;

    public DreamCommand(App app) {
        this.app = app;
    }

    @Override
    public Integer call() throws IOException {
        AppConfig config = app.config();
        // --- everything the user typed is checked before the slow part ---
        if (prompt == null || prompt.isBlank()) {
            throw new InvalidInputException("the prompt is empty");
        }
        if (steps != null && steps < 1) {
            throw new InvalidInputException("steps must be at least 1, got " + steps);
        }
        if (size != null && (size < DreamSettings.MIN_SIZE || size > DreamSettings.MAX_SIZE)) {
            throw new InvalidInputException("size must be between " + DreamSettings.MIN_SIZE + " and "
                    + DreamSettings.MAX_SIZE + " pixels, got " + size);
        }
        for (String n : negatives) {
            if (n == null || n.isBlank()) {
                throw new InvalidInputException("a negative prompt is empty");
            }
        }
        Palette chosenPalette = Palette.parse(palette != null ? palette : config.find("dream.palette").orElse("none"));
        int chosenScale = scale != null ? scale : config.getInt("dream.scale");
        if (chosenScale < 1 || chosenScale > MAX_SCALE) {
            throw new InvalidInputException("scale must be between 1 and " + MAX_SCALE + ", got " + chosenScale);
        }
        long chosenSeed = seed != null ? seed : new java.security.SecureRandom().nextLong() & 0xFFFFFFFFL;
        Path pngFile = out != null ? out : Path.of("dream-" + chosenSeed + ".png");
        checkOutput(pngFile, ".png");
        if (gif != null) {
            checkOutput(gif, ".gif");
        }
        String chosenPreset = preset != null ? preset : config.find("dream.preset").orElse("normal");
        DreamSettings.preset(chosenPreset); // an unknown preset is refused before the model loads
        DreamRequest request = new DreamRequest(prompt.strip(), negatives, size == null ? 0 : size, steps == null ? 0 : steps, chosenSeed,
                chosenPreset, chosenPalette.spec(), chosenScale, DreamRequest.Mode.NORMAL);
        int defaultSize = config.find("dream.size").map(Integer::parseInt).orElse(64);
        String modelName = checkpoint != null ? checkpoint : config.get("model.checkpoint");
        Optional<Path> vocabFile = vocab != null ? Optional.of(vocab) : config.find("model.vocab").map(Path::of);
        if (!ClipModels.SHIPPED.equals(modelName) && !Files.isRegularFile(Path.of(modelName))) {
            throw new InvalidInputException("checkpoint " + modelName + " does not exist");
        }
        if (vocabFile.isPresent() && !ClipModels.SHIPPED.equals(modelName) && !Files.isRegularFile(vocabFile.get())) {
            throw new InvalidInputException("vocabulary " + vocabFile.get() + " does not exist");
        }

        app.torch();
        try (NDManager models = NDManager.newBaseManager();
                LoadedClip clip = ClipModels.open(modelName, vocabFile, models)) {
            PromptDreamer dreamer = new PromptDreamer(new Dreamer(clip.model()),
                    text -> clip.embedTexts(List.of(text))[0], chosenPreset, defaultSize);
            DreamSettings settings = dreamer.settings(request);
            PromptDreamer.Outcome outcome;
            try (ProgressBar bar = new ProgressBarBuilder().setTaskName("dream").setInitialMax(settings.steps())
                    .setStyle(ProgressBarStyle.ASCII).showSpeed().setUnit(" steps", 1)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err)).build()) {
                outcome = dreamer.run(request, new DreamListener() {
                    @Override
                    public void onStep(DreamProgress p) {
                        bar.stepTo(p.step());
                        bar.setExtraMessage(String.format(Locale.ROOT, " similarity %.3f", p.similarity()));
                    }
                });
            }
            RgbImage raw = outcome.result().image();
            RgbImage art = chosenPalette.isLevels() && settings.quantizeLevels() == 0 ? raw
                    : PixelArt.quantize(raw, chosenPalette);
            PngFiles.write(pngFile, PixelArt.upscale(art, chosenScale),
                    metadata(request, settings, clip.model().id(), chosenPalette, chosenScale));
            if (gif != null) {
                List<RgbImage> frames = new ArrayList<>();
                for (RgbImage f : outcome.result().frames().isEmpty() ? List.of(raw) : outcome.result().frames()) {
                    frames.add(PixelArt.upscale(PixelArt.quantize(f, chosenPalette), chosenScale));
                }
                GifFiles.write(gif, frames, 80, true);
            }
            spec.commandLine().getOut().printf(Locale.ROOT, "dream: %s similarity %.4f in %.1f s%n", pngFile,
                    outcome.result().similarity(), outcome.result().seconds());
            spec.commandLine().getOut().flush();
        }
        return 0;
    }

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
    }

    /** PNG text chunks: enough to rerun the picture. No time stamps, so the bytes are reproducible. */
    static Map<String, String> metadata(DreamRequest r, DreamSettings s, String modelId, Palette palette, int scale) {
        Map<String, String> text = new LinkedHashMap<>();
        text.put("Software", "Dream Oven");
        text.put("prompt", r.prompt());
        if (!r.negatives().isEmpty()) {
            text.put("negatives", String.join(" | ", r.negatives()));
        }
        text.put("seed", Long.toString(r.seed()));
        text.put("preset", r.preset() == null ? "" : r.preset());
        text.put("model", modelId);
        text.put("palette", palette.spec());
        text.put("scale", Integer.toString(scale));
        text.put("settings", s.toString());
        return text;
    }
}
