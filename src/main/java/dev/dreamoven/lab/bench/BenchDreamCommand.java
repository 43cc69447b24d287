package dev.dreamoven.lab.bench;

import dev.dreamoven.cli.AppCommand;
import dev.dreamoven.cli.Services;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.clip.ClipConfig;
import dev.dreamoven.clip.OpenAiClip;
import dev.dreamoven.dream.DreamListener;
import dev.dreamoven.dream.DreamProgress;
import dev.dreamoven.dream.DreamResult;
import dev.dreamoven.dream.DreamSettings;
import dev.dreamoven.dream.Dreamer;
import dev.dreamoven.dream.GuidePlan;
import dev.dreamoven.dream.GuideTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench dream}: speed of the dream loop on a seeded random CLIP with ViT-B/32's shapes
 * (224 px, patch 32, width 768, 12 layers), a 64×64 picture, 8 cutouts, Adam. {@code --memory}
 * instead runs a long dream on a small random CLIP and reports how much the resident set grew
 * after the warm-up (it must stay flat: every step's arrays are freed).
 */
@Command(name = "dream", mixinStandardHelpOptions = true,
        description = "Dream loop speed (steps/s, peak RSS) on a random ViT-B/32-shaped CLIP; --memory: RSS growth over a long dream.")
public final class BenchDreamCommand implements AppCommand {

    @Option(names = "--steps", paramLabel = "N", description = "Steps (default: 50, or 2000 with --memory).")
    Integer steps;

    @Option(names = "--size", paramLabel = "N", description = "Picture side (default: 64).")
    int size = 64;

    @Option(names = "--cutouts", paramLabel = "N", description = "Cutouts per step (default: 8).")
    int cutouts = 8;

    @Option(names = "--memory", description = "Long dream on a small model; prints RSS after warm-up, at the end, and the growth.")
    boolean memory;

    /** ViT-B/32's image tower and text tower shapes. */
    static final ClipConfig VIT_B_32 = new ClipConfig(512, 224, 12, 768, 32, 77, 49408, 512, 12);
    /** A small model for the long memory run. */
    static final ClipConfig SMALL = new ClipConfig(64, 64, 2, 128, 16, 77, 1000, 64, 1);

    @Override
    public int run(Services services) throws IOException {
        int n = steps != null ? steps : memory ? 2000 : 50;
        if (n < 1) {
            throw new InvalidInputException("steps must be at least 1");
        }
        services.startTorch();
        ClipConfig shape = memory ? SMALL : VIT_B_32;
        try (NDManager models = NDManager.newBaseManager();
                OpenAiClip model = randomClip(models, shape, 1234)) {
            DreamSettings settings = DreamSettings.preset("pixels").toBuilder().size(size).steps(n).cutouts(cutouts)
                    .wholeView(false).octaves(1).frameEvery(0).build();
            float[] target = new float[shape.embedDim()];
            Random rnd = new Random(5);
            for (int i = 0; i < target.length; i++) {
                target[i] = (float) rnd.nextGaussian();
            }
            GuidePlan plan = GuidePlan.single(List.of(GuideTarget.of("bench", target)), n);
            Dreamer dreamer = new Dreamer(model);
            // Memory: the JVM heap and libtorch's allocator grow to their working size over the first
            // part of a run; the check is the growth over the second half, after that warm-up.
            int warmup = memory ? Math.max(1, n / 2) : Math.min(3, n - 1);
            int early = Math.max(1, n / 10);
            long[] warmRss = new long[1];
            long[] earlyRss = new long[1];
            long[] warmAt = new long[1];
            DreamListener listener = new DreamListener() {
                @Override
                public void onStep(DreamProgress p) {
                    if (p.step() == early) {
                        earlyRss[0] = rssKb("VmRSS");
                    }
                    if (p.step() == warmup) {
                        warmRss[0] = rssKb("VmRSS");
                        warmAt[0] = System.nanoTime();
                    }
                    if (memory && p.step() % 200 == 0) {
                        System.err.printf(Locale.ROOT, "step %d: rss %.1f MB%n", p.step(), rssKb("VmRSS") / 1024.0);
                    }
                }
            };
            DreamResult r = dreamer.dream(plan, settings, 1, listener);
            long end = System.nanoTime();
            double timedSteps = n - warmup;
            double stepsPerSecond = timedSteps > 0 ? timedSteps / ((end - warmAt[0]) / 1e9) : n / r.seconds();
            double peakMb = rssKb("VmHWM") / 1024.0;
            if (memory) {
                double after = warmRss[0] / 1024.0;
                double last = rssKb("VmRSS") / 1024.0;
                System.out.printf(Locale.ROOT, "rss at step %d: %.1f MB%n", early, earlyRss[0] / 1024.0);
                System.out.printf(Locale.ROOT, "rss after warm-up (step %d): %.1f MB%n", warmup, after);
                System.out.printf(Locale.ROOT, "rss at the end (step %d): %.1f MB%n", n, last);
                System.out.printf(Locale.ROOT, "bench dream --memory: %d steps, growth %.2f%%, %.2f steps/s%n", n,
                        100 * (last - after) / after, stepsPerSecond);
            } else {
                System.out.printf(Locale.ROOT, "model: random ViT-B/32 shapes, picture %dx%d, %d cutouts at %d, %d steps, Adam%n",
                        size, size, cutouts, shape.imageResolution(), n);
                System.out.printf(Locale.ROOT, "bench dream: %.3f steps/s, rss %.0f MB%n", stepsPerSecond, peakMb);
            }
        }
        return 0;
    }

    /** A field of /proc/self/status in kB (VmRSS, VmHWM), 0 where there is none. */
    public static long rssKb(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    /** A CLIP with the given shapes and seeded random weights (layer norms 1/0, weights N(0, 0.02)). */
    static OpenAiClip randomClip(NDManager manager, ClipConfig config, long seed) {
        Engine.getInstance().setRandomSeed((int) seed);
        Map<String, NDArray> params = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : OpenAiClip.expectedShapes(config).entrySet()) {
            String key = e.getKey();
            Shape shape = new Shape(e.getValue());
            NDArray p;
            if (key.equals("logit_scale")) {
                p = manager.create((float) Math.log(100)).reshape(new Shape());
            } else if (key.contains("ln_") && key.endsWith(".weight") || key.startsWith("ln_final.weight")) {
                p = manager.ones(shape);
            } else if (key.endsWith(".bias")) {
                p = manager.zeros(shape);
            } else {
                p = manager.randomNormal(0f, 0.02f, shape, DataType.FLOAT32);
            }
            params.put(key, p);
        }
        return new OpenAiClip("random-" + config.visionWidth() + "x" + config.visionLayers(), params);
    }
}
