package dev.dreamoven.render;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * A stand-in engine without a model: draws a seeded pattern of coloured blocks, reporting progress
 * like a real render. It lets the queue, the chat front ends and the ack benchmark run where no
 * model is wired; its pictures say nothing about the prompt.
 */
public final class PlaceholderEngine implements RenderEngine {

    private final int steps;
    private final long millisPerStep;

    /** @param millisPerStep pause per step, to make progress visible; 0 for instant */
    public PlaceholderEngine(int steps, long millisPerStep) {
        this.steps = steps;
        this.millisPerStep = millisPerStep;
    }

    @Override
    public RenderOutcome render(RenderJob job, RenderProgress progress) throws InterruptedException {
        long start = System.nanoTime();
        int size = job.request().size() > 0 ? job.request().size() : 32;
        long seed = job.request().seed();
        progress.begin();
        for (int step = 1; step <= steps; step++) {
            if (progress.cancelled()) {
                throw new InterruptedException("cancelled");
            }
            if (millisPerStep > 0) {
                Thread.sleep(millisPerStep);
            }
            progress.update(step, steps, 0.2 + 0.1 * step / steps, () -> png(seed, size, 4));
        }
        return new RenderOutcome(png(seed, size, 4), job.kind() == JobKind.BAKE ? "bake" : "normal",
                "placeholder engine", 0.3, seed, (System.nanoTime() - start) / 1e9);
    }

    /** A deterministic block pattern of the seed, {@code size} px upscaled {@code scale} times. */
    static byte[] png(long seed, int size, int scale) {
        Random r = new Random(seed);
        int block = Math.max(1, size / 8);
        BufferedImage img = new BufferedImage(size * scale, size * scale, BufferedImage.TYPE_INT_RGB);
        for (int by = 0; by < size; by += block) {
            for (int bx = 0; bx < size; bx += block) {
                int rgb = r.nextInt(0x1000000);
                for (int y = by * scale; y < Math.min(size, by + block) * scale; y++) {
                    for (int x = bx * scale; x < Math.min(size, bx + block) * scale; x++) {
                        img.setRGB(x, y, rgb);
                    }
                }
            }
        }
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ImageIO.write(img, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
