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
import dev.dreamoven.clip.ClipEnsemble;
import dev.dreamoven.clip.ClipModel;
import dev.dreamoven.clip.ClipModels;
import dev.dreamoven.clip.ImageTower;
import dev.dreamoven.clip.OpenAiClip;
import dev.dreamoven.clip.TorchDevice;
import dev.dreamoven.dream.DreamListener;
import dev.dreamoven.dream.DreamProgress;
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
 * {@code bench dream}: speed of the dream loop, by default on a seeded random CLIP with ViT-B/32's
 * shapes (224 px, patch 32, width 768, 12 layers), free pixels, a 64×64 picture, 8 cut-outs, Adam;
 * {@code --model RN50} takes RN50's shapes, {@code --model shapes} the shipped model (real weights).
 * It prints steps/s, the achieved GFLOP/s (the image tower's FLOPs, counted from the config by
 * {@link TowerFlops}, times the images the timed steps really encoded, forward and backward to the
 * pixels), this process's float32 matmul rate on the same device and threads, and the fraction.
 * {@code --memory} instead runs a long dream on a small random CLIP and reports how much the
 * resident set grew after the warm-up (it must stay flat: every step's arrays are freed).
 */
@Command(name = "dream", mixinStandardHelpOptions = true,
        description = "Dream loop speed: steps/s, achieved GFLOP/s and its fraction of the in-process matmul peak, "
                + "peak RSS; --memory: RSS growth over a long dream.")
public final class BenchDreamCommand implements AppCommand {

    @Option(names = "--steps", paramLabel = "N", description = "Steps (default: 50, or 2000 with --memory).")
    Integer steps;

    @Option(names = "--model", paramLabel = "NAME", defaultValue = "ViT-B/32",
            description = "ViT-B/32 or RN50 (random weights with those shapes), a comma list of them (an ensemble, "
                    + "equal weights), or shapes (the shipped model) (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--preset", paramLabel = "NAME", defaultValue = "pixels",
            description = "Preset the dream starts from (default: ${DEFAULT-VALUE}; octaves 1, Adam, no whole view).")
    String preset;

    @Option(names = "--size", paramLabel = "N", description = "Picture side (default: 64).")
    int size = 64;

    @Option(names = "--cutouts", paramLabel = "N", description = "Cutouts per step (default: 8).")
    int cutouts = 8;

    @Option(names = "--memory", description = "Long dream on a small model; prints RSS after warm-up, at the end, and the growth.")
    boolean memory;

    /** ViT-B/32's image tower and text tower shapes. */
    static final ClipConfig VIT_B_32 = new ClipConfig(512, 224, 12, 768, 32, 77, 49408, 512, 12);
    /** RN50's: blocks 3, 4, 6, 3 of width 64 at 224 px, embed 1024, the text tower of ViT-B/32. */
    static final ClipConfig RN50 = new ClipConfig(1024, 224, new ImageTower.ResNet(List.of(3, 4, 6, 3), 64), 77, 49408,
            512, 12);
    /** A small model for the long memory run. */
    static final ClipConfig SMALL = new ClipConfig(64, 64, 2, 128, 16, 77, 1000, 64, 1);

    @Override
    public int run(Services services) throws IOException {
        int n = steps != null ? steps : memory ? 2000 : 50;
        if (n < 2) {
            throw new InvalidInputException("steps must be at least 2");
        }
        TorchDevice device = services.torchDevice();
        try (NDManager models = device.newManager()) {
            // Each member is counted on its own: an ensemble encodes every view once per member, at
            // the member's own resolution, so the FLOPs are summed member by member.
            List<CountingClip> counted = open(models).stream().map(m -> {
                device.configure(m);
                return new CountingClip(m);
            }).toList();
            ClipModel loaded = counted.size() == 1 ? counted.get(0)
                    : new ClipEnsemble(counted, java.util.Collections.nCopies(counted.size(), 1.0));
            DreamSettings settings = DreamSettings.preset(preset).toBuilder().size(size).steps(n).cutouts(cutouts)
                    .wholeView(false).octaves(1).frameEvery(0).build();
            float[] target = new float[loaded.embedDim()];
            Random rnd = new Random(5);
            for (int i = 0; i < target.length; i++) {
                target[i] = (float) rnd.nextGaussian();
            }
            GuidePlan plan = GuidePlan.single(List.of(GuideTarget.of("bench", target)), n);
            Dreamer dreamer = new Dreamer(loaded);
            // Memory: the JVM heap and libtorch's allocator grow to their working size over the first
            // part of a run; the check is the growth over the second half, after that warm-up.
            int warmup = memory ? Math.max(1, n / 2) : Math.min(3, n - 1);
            int early = Math.max(1, n / 10);
            long[] warmRss = new long[1];
            long[] earlyRss = new long[1];
            long[] at = new long[2];
            long[][] images = new long[counted.size()][2];
            DreamListener listener = new DreamListener() {
                @Override
                public void onStep(DreamProgress p) {
                    if (p.step() == early) {
                        earlyRss[0] = rssKb("VmRSS");
                    }
                    if (p.step() == warmup) {
                        warmRss[0] = rssKb("VmRSS");
                        at[0] = System.nanoTime();
                        for (int m = 0; m < images.length; m++) {
                            images[m][0] = counted.get(m).images();
                        }
                    }
                    if (p.step() == n) {
                        at[1] = System.nanoTime();
                        for (int m = 0; m < images.length; m++) {
                            images[m][1] = counted.get(m).images();
                        }
                    }
                    if (memory && p.step() % 200 == 0) {
                        System.err.printf(Locale.ROOT, "step %d: rss %.1f MB%n", p.step(), rssKb("VmRSS") / 1024.0);
                    }
                }
            };
            dreamer.dream(plan, settings, 1, listener);
            double seconds = (at[1] - at[0]) / 1e9;
            double stepsPerSecond = (n - warmup) / seconds;
            double peakMb = rssKb("VmHWM") / 1024.0;
            if (memory) {
                double after = warmRss[0] / 1024.0;
                double last = rssKb("VmRSS") / 1024.0;
                System.out.printf(Locale.ROOT, "rss at step %d: %.1f MB%n", early, earlyRss[0] / 1024.0);
                System.out.printf(Locale.ROOT, "rss after warm-up (step %d): %.1f MB%n", warmup, after);
                System.out.printf(Locale.ROOT, "rss at the end (step %d): %.1f MB%n", n, last);
                System.out.printf(Locale.ROOT, "bench dream --memory: %d steps, growth %.2f%%, %.2f steps/s%n", n,
                        100 * (last - after) / after, stepsPerSecond);
                return 0;
            }
            String threads = System.getProperty("ai.djl.pytorch.num_threads", "?");
            System.out.printf(Locale.ROOT, "model: %s, on %s, %s threads; picture %dx%d, preset %s, %d steps "
                    + "after %d warm-up, Adam%n", loaded.id(), device, threads, size, size, preset, n - warmup, warmup);
            double flops = 0;
            for (int m = 0; m < counted.size(); m++) {
                ClipConfig shape = counted.get(m).config();
                long timedImages = images[m][1] - images[m][0];
                double perImage = TowerFlops.dreamStepFlopsPerImage(shape);
                flops += timedImages * perImage;
                System.out.printf(Locale.ROOT, "%s tower: %.3f GFLOP forward per %d px image; %.1f images a step "
                        + "(forward + backward to the pixels = %.3f GFLOP each)%n",
                        shape.vision() instanceof ImageTower.ResNet ? "ResNet" : "ViT", TowerFlops.imageForward(shape) / 1e9,
                        shape.imageResolution(), (double) timedImages / (n - warmup), perImage / 1e9);
            }
            double achieved = flops / seconds / 1e9;
            double peak = BenchClipCommand.matmulGflops(models);
            System.out.printf(Locale.ROOT, "matmul 2048x2048 float32, this process: %.1f GFLOP/s%n", peak);
            System.out.printf(Locale.ROOT, "bench dream: %.3f steps/s, %.1f GFLOP/s = %.2f of the matmul peak, rss %.0f MB%n",
                    stepsPerSecond, achieved, achieved / peak, peakMb);
        }
        return 0;
    }

    /** The models {@code --model} names (or the small one for {@code --memory}), in {@code models}. */
    private List<ClipModel> open(NDManager models) {
        if (memory) {
            return List.of(randomClip(models, SMALL, 1234));
        }
        if (model.equals(ClipModels.SHIPPED)) {
            return List.of(ClipModels.open(ClipModels.SHIPPED, java.util.Optional.empty(), models).model());
        }
        List<ClipModel> members = new java.util.ArrayList<>();
        for (String name : model.split(",")) {
            long seed = 1234 + members.size();
            switch (name.strip()) {
                case "ViT-B/32" -> members.add(randomClip(models, VIT_B_32, seed));
                case "RN50" -> members.add(randomClip(models, RN50, seed));
                default -> throw new InvalidInputException("--model must be ViT-B/32, RN50, a comma list of them, or "
                        + ClipModels.SHIPPED + ", got '" + model + "'");
            }
        }
        return members;
    }

    /** Counts the images the image tower encodes. */
    private static final class CountingClip implements ClipModel {
        private final ClipModel model;
        private long images;

        CountingClip(ClipModel model) {
            this.model = model;
        }

        long images() {
            return images;
        }

        @Override
        public String id() {
            return model.id();
        }

        @Override
        public ClipConfig config() {
            return model.config();
        }

        @Override
        public ai.djl.Device device() {
            return model.device();
        }

        @Override
        public dev.dreamoven.clip.TowerPrecision precision() {
            return model.precision();
        }

        @Override
        public List<Integer> palette() {
            return model.palette();
        }

        @Override
        public NDArray encodeImage(NDArray pixels) {
            images += pixels.getShape().get(0);
            return model.encodeImage(pixels);
        }

        @Override
        public NDArray encodeText(NDArray tokens) {
            return model.encodeText(tokens);
        }

        @Override
        public void close() {
            model.close();
        }
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

    private static boolean isBatchNorm(String key) {
        return key.matches(".*\\.(bn[1-3]|downsample\\.1)\\.weight");
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
            } else if (key.contains("ln_") && key.endsWith(".weight") || key.startsWith("ln_final.weight")
                    || key.endsWith(".running_var") || isBatchNorm(key) && key.endsWith(".weight")) {
                p = manager.ones(shape); // layer norms, and a ResNet's BatchNorm scales and variances
            } else if (key.endsWith(".bias") || key.endsWith(".running_mean")) {
                p = manager.zeros(shape);
            } else {
                p = manager.randomNormal(0f, 0.02f, shape, DataType.FLOAT32);
            }
            params.put(key, p);
        }
        return new OpenAiClip("random-" + (config.vision() instanceof ImageTower.ResNet r ? "resnet-" + r.layers() + "x"
                + r.width() : "vit-" + config.visionWidth() + "x" + config.visionLayers()), params);
    }
}
