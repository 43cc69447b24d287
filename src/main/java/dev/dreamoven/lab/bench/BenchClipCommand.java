package dev.dreamoven.lab.bench;

import dev.dreamoven.cli.AppCommand;
import dev.dreamoven.cli.Services;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.clip.ClipConfig;
import dev.dreamoven.clip.ClipImages;
import dev.dreamoven.clip.OpenAiClip;
import dev.dreamoven.clip.TorchDevice;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench clip}: forward + backward to the pixels of a ViT-B/32-shaped CLIP (random weights),
 * a dream step's work, against this machine's matmul speed; and whether memory stays flat.
 */
@Command(name = "clip", mixinStandardHelpOptions = true,
        description = "CLIP ViT-B/32 forward+backward to the pixels: images/s, GFLOP/s vs matmul peak, memory growth.")
public final class BenchClipCommand implements AppCommand {

    static final ClipConfig VIT_B_32 = new ClipConfig(512, 224, 12, 768, 32, 77, 49408, 512, 12);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "200", description = "Timed steps (default: 200, at least 12).")
    int steps;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "8", description = "Cutouts per step (default: 8).")
    int batch;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Random seed (default: 1).")
    int seed;

    @Override
    public int run(Services services) {
        if (steps < 12) {
            throw new InvalidInputException("--steps must be at least 12 (memory is compared from step 10 on)");
        }
        if (batch < 1) {
            throw new InvalidInputException("--batch must be at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        TorchDevice device = services.torchDevice();
        Engine engine = Engine.getInstance();
        engine.setRandomSeed(seed);
        ClipConfig c = VIT_B_32;
        int r = c.imageResolution();
        try (NDManager base = device.newManager();
                OpenAiClip clip = new OpenAiClip("random-ViT-B-32", randomWeights(c, base))) {
            device.configure(clip);
            System.err.println("random ViT-B/32 weights ready");
            double peak = matmulGflops(base);
            out.printf(Locale.ROOT, "matmul 2048x2048: %.1f GFLOP/s (%s threads)%n", peak,
                    System.getProperty("ai.djl.pytorch.num_threads", "?"));
            out.flush();
            NDArray target;
            try (NDManager scope = base.newSubManager()) {
                NDArray tokens = scope.zeros(new Shape(1, c.contextLength()), DataType.INT32);
                tokens.set(new ai.djl.ndarray.index.NDIndex("0, 0"), 49406);
                tokens.set(new ai.djl.ndarray.index.NDIndex("0, 1"), 49407);
                target = clip.encodeText(tokens);
                target.attach(base);
                System.err.println("text encoded");
            }
            long rssAt10 = 0;
            long start = 0;
            int warmup = 2;
            for (int i = 1; i <= steps + warmup; i++) {
                if (i == warmup + 1) {
                    start = System.nanoTime();
                }
                try (NDManager step = base.newSubManager()) {
                    NDArray rgb = step.randomUniform(0, 1, new Shape(batch, 3, r, r)); // [B, 3, 224, 224]
                    rgb.setRequiresGradient(true);
                    try (GradientCollector gc = engine.newGradientCollector()) {
                        NDArray image = clip.encodeImage(ClipImages.normalize(rgb)); // [B, 512]
                        NDArray cosine = image.mul(target).sum(new int[] {1})
                                .div(image.norm(new int[] {1}).mul(target.norm(new int[] {1})));
                        gc.backward(cosine.sum().neg());
                    }
                    rgb.getGradient().abs().sum().getFloat(); // waits for the step to finish
                }
                if (i % 10 == 0) {
                    System.err.printf(Locale.ROOT, "step %d/%d: %s ms/step so far%n", i, steps + warmup,
                            start == 0 ? "-" : String.format(Locale.ROOT, "%.0f", (System.nanoTime() - start) / 1e6 / (i - warmup)));
                }
                if (i == warmup + 10) {
                    rssAt10 = rssKb();
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9 / steps;
            long rssEnd = rssKb();
            double forward = TowerFlops.imageForward(c) * batch;
            double done = 2 * forward; // backward to the pixels only: the frozen weights get no gradient
            double imagesPerSecond = batch / seconds;
            double gflops = done / seconds / 1e9;
            double growth = rssAt10 > 0 ? 100.0 * (rssEnd - rssAt10) / rssAt10 : Double.NaN;
            out.printf(Locale.ROOT, "model: ViT-B/32 shape, random weights; batch %d at %dx%d, %d steps after %d warm-up%n",
                    batch, r, r, steps, warmup);
            out.printf(Locale.ROOT, "step: %.1f ms, %.2f images/s%n", seconds * 1e3, imagesPerSecond);
            out.printf(Locale.ROOT, "vision forward %.1f GFLOP/step; forward+backward-to-pixels (2x forward) %.1f GFLOP/step "
                    + "= %.1f GFLOP/s (%.2f of matmul peak; %.2f if counted as 3x forward)%n",
                    forward / 1e9, done / 1e9, gflops, gflops / peak, 1.5 * gflops / peak);
            out.printf(Locale.ROOT, "rss: %.1f MiB after step 10, %.1f MiB after step %d%n",
                    rssAt10 / 1024.0, rssEnd / 1024.0, steps);
            out.printf(Locale.ROOT, "bench clip: %.2f img/s, %.2f of matmul peak, rss growth %.1f%%%n",
                    imagesPerSecond, gflops / peak, growth);
            out.flush();
        }
        return 0;
    }

    /** Random weights with sensible scales: matrices ~ N(0, 1/fan_in), norms 1/0, embeddings N(0, 0.02²). */
    static Map<String, NDArray> randomWeights(ClipConfig c, NDManager manager) {
        Map<String, NDArray> params = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : OpenAiClip.expectedShapes(c).entrySet()) {
            String key = e.getKey();
            Shape shape = new Shape(e.getValue());
            NDArray p;
            if (key.endsWith("ln_1.weight") || key.endsWith("ln_2.weight") || key.endsWith("ln_pre.weight")
                    || key.endsWith("ln_post.weight") || key.equals("ln_final.weight")) {
                p = manager.ones(shape);
            } else if (key.endsWith(".bias")) {
                p = manager.zeros(shape);
            } else if (key.equals("logit_scale")) {
                p = manager.create((float) Math.log(1 / 0.07));
            } else if (shape.dimension() == 1 || key.contains("embedding")) {
                p = manager.randomNormal(0, 0.02f, shape, DataType.FLOAT32);
            } else {
                long fanIn = key.equals("visual.proj") || key.equals("text_projection") ? shape.get(0)
                        : shape.size() / shape.get(0);
                p = manager.randomNormal(0, (float) (1 / Math.sqrt(fanIn)), shape, DataType.FLOAT32);
            }
            params.put(key, p);
        }
        return params;
    }

    /** GFLOP/s of a 2048×2048 float32 matmul: this machine's practical ceiling. */
    static double matmulGflops(NDManager base) {
        int n = 2048;
        try (NDManager m = base.newSubManager()) {
            NDArray a = m.randomUniform(-1, 1, new Shape(n, n));
            NDArray b = m.randomUniform(-1, 1, new Shape(n, n));
            a.matMul(b).sum().getFloat(); // warm-up
            int reps = 6;
            long t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                try (NDArray c = a.matMul(b)) {
                    c.get(0, 0).getFloat();
                }
            }
            double s = (System.nanoTime() - t0) / 1e9 / reps;
            return 2.0 * n * n * n / s / 1e9;
        }
    }

    /** Resident memory of this process in KiB (Linux), 0 where unknown. */
    static long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
