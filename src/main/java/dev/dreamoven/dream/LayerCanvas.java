package dev.dreamoven.dream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import dev.dreamoven.clip.ScalarOps;
import dev.dreamoven.image.RgbImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pixel-art drawing: a background colour and K−1 painted layers, each a palette colour and a mask
 * on a grid of cells, composited in order. The colours are chosen once, before the first step, by
 * {@link ColourSearch}; the dream then moves only the masks. A mask is the sigmoid of logits that are
 * a sum of grids from coarse to fine (4, 8, 16 … cells, bilinearly upsampled to the cell grid), so
 * a gradient step moves whole blobs before single cells. The sigmoid's temperature falls over the
 * run, and from {@code hardFrom} on the masks are hard (0 or 1) with straight-through gradients, so
 * the picture the dream ends on is exactly its cells in at most K colours.
 *
 * <p>Views are the whole picture and a few copies shifted by whole pixels with the edge repeated:
 * no crops, rotations or flips, which would ask for the object in every crop.
 */
final class LayerCanvas implements Canvas {

    private static final Logger LOG = LoggerFactory.getLogger(LayerCanvas.class);

    private final DreamSettings.Layers settings;
    private final int side;
    private final int cells;
    private final int painted; // K − 1
    private final int totalSteps;
    private final float[][] colours; // [K][3], layer 0 the background
    private final List<NDArray> levels = new ArrayList<>(); // each [K−1, s, s] logits
    private final List<NDArray> upsamplers = new ArrayList<>(); // each [cells, s] bilinear
    private final List<Adam> optimizers = new ArrayList<>();
    private final NDArray toPixels; // [side, cells] nearest
    private final NDArray frame; // [cells, cells] fixed logit bias, ≤ 0 near the edge
    private final NDArray colourArray; // [K, 3, 1, 1]
    private final List<NDArray> leaves = new ArrayList<>();
    private final NDManager home;

    /**
     * Draws the masks' starting logits from {@code rnd} (coarse level first).
     *
     * @param colours the layers' colours as 0xRRGGBB, background first (see {@link ColourSearch})
     */
    LayerCanvas(DreamSettings.Layers settings, int side, int totalSteps, int[] colours, NDManager run, Random rnd) {
        this.settings = settings;
        this.home = run;
        this.side = side;
        this.cells = Math.min(side, settings.cells());
        this.painted = colours.length - 1;
        this.totalSteps = totalSteps;
        this.colours = new float[colours.length][];
        float[] flat = new float[colours.length * 3];
        for (int k = 0; k < colours.length; k++) {
            this.colours[k] = rgb(colours[k]);
            System.arraycopy(this.colours[k], 0, flat, 3 * k, 3);
        }
        this.colourArray = run.create(flat, new Shape(colours.length, 3, 1, 1));
        for (int s : pyramid(cells)) {
            float[] init = new float[painted * s * s];
            for (int i = 0; i < init.length; i++) {
                init[i] = (float) (settings.initNoise() * rnd.nextGaussian());
            }
            levels.add(run.create(init, new Shape(painted, s, s)));
            upsamplers.add(run.create(bilinear(s, cells), new Shape(cells, s)));
            optimizers.add(new Adam(run, 0.9, 0.999, 1e-8));
        }
        this.toPixels = run.create(nearest(cells, side), new Shape(side, cells));
        this.frame = run.create(frameBias(cells, settings.frameBias(), Math.min(settings.frameCells(), cells / 2)),
                new Shape(cells, cells));
    }

    /**
     * {@code −bias} at the outermost cells rising linearly to 0 at {@code width} cells in: the
     * composition prior of a sprite, a subject inside its frame. Without it the guide often settles
     * on fragments that touch the edge (shifted views with repeated edges reward them).
     */
    static float[] frameBias(int cells, double bias, int width) {
        float[] out = new float[cells * cells];
        for (int y = 0; y < cells; y++) {
            for (int x = 0; x < cells; x++) {
                int inward = Math.min(Math.min(x, cells - 1 - x), Math.min(y, cells - 1 - y));
                float lowered = (float) (bias * Math.max(0.0, (width - inward) / (double) width));
                out[y * cells + x] = lowered == 0 ? 0f : -lowered; // no −0 in the middle
            }
        }
        return out;
    }

    /** Grid sides from 4 cells up to {@code cells}, doubling (the last one exactly {@code cells}). */
    static List<Integer> pyramid(int cells) {
        List<Integer> sides = new ArrayList<>();
        for (int s = 4; s < cells; s *= 2) {
            sides.add(s);
        }
        sides.add(cells);
        return sides;
    }

    @Override
    public void beforeStep(int step, int total) {
        // one resolution throughout
    }

    @Override
    public NDArray draw(NDManager step, double progress) {
        leaves.clear();
        attachAll(step);
        List<NDArray> copies = new ArrayList<>(levels.size());
        for (NDArray level : levels) {
            NDArray leaf = level.duplicate();
            leaf.setRequiresGradient(true);
            leaves.add(leaf);
            copies.add(leaf);
        }
        NDArray alpha = alphas(copies, progress, progress >= settings.hardFrom()); // [K−1, cells, cells]
        return composite(step, alpha);
    }

    /**
     * Lends every persistent array to {@code scope} until it closes, so that what the step computes
     * from them lands in the step's manager (a result belongs to its receiver's manager).
     */
    private void attachAll(NDManager scope) {
        levels.forEach(a -> a.tempAttach(scope));
        upsamplers.forEach(a -> a.tempAttach(scope));
        toPixels.tempAttach(scope);
        frame.tempAttach(scope);
        colourArray.tempAttach(scope);
    }

    /** The masks {@code [K−1, cells, cells]} in 0..1 at this point of the run. */
    private NDArray alphas(List<NDArray> logitLevels, double progress, boolean hard) {
        NDArray logits = null;
        for (int i = 0; i < logitLevels.size(); i++) {
            NDArray u = upsamplers.get(i);
            NDArray up = u.matMul(logitLevels.get(i)).matMul(u.transpose()); // [K−1, cells, cells]
            logits = logits == null ? up : logits.add(up);
        }
        NDArray scaled = ScalarOps.div(logits.add(frame).add((float) settings.initLogit()), temperature(progress));
        NDArray soft = Activation.sigmoid(scaled);
        if (!hard) {
            return soft;
        }
        // Straight-through: the picture uses the hard mask, the gradient the soft one.
        NDArray sharp = soft.gt(0.5f).toType(DataType.FLOAT32, false);
        return soft.add(sharp.sub(soft).stopGradient());
    }

    double temperature(double progress) {
        return settings.startTemperature() * Math.pow(settings.endTemperature() / settings.startTemperature(), progress);
    }

    /** Layers over the background: {@code [1, 3, side, side]}. */
    private NDArray composite(NDManager step, NDArray alpha) {
        NDArray big = toPixels.matMul(alpha).matMul(toPixels.transpose()); // [K−1, side, side]
        NDArray picture = colourArray.get(0).broadcast(new Shape(3, side, side)); // [3, side, side]
        for (int k = 0; k < painted; k++) {
            NDArray a = big.get(k).expandDims(0); // [1, side, side]
            NDArray keep = a.neg().add(1f);
            picture = picture.mul(keep).add(colourArray.get(k + 1).mul(a));
        }
        return picture.expandDims(0);
    }

    @Override
    public NDArray views(NDArray picture, int resolution, Random rnd) {
        List<Cutouts.View> views = new ArrayList<>(settings.views() + 1);
        views.add(Cutouts.View.whole(side, side));
        int shift = settings.maxShift();
        for (int i = 0; i < settings.views(); i++) {
            int dx = rnd.nextInt(2 * shift + 1) - shift;
            int dy = rnd.nextInt(2 * shift + 1) - shift;
            views.add(new Cutouts.View(side / 2.0 + dx, side / 2.0 + dy, side, 0, false, 0, false));
        }
        return Cutouts.render(picture, views, resolution, null, rnd); // [N, 3, R, R]
    }

    @Override
    public NDArray regularizers(NDArray picture, double progress) {
        if (settings.maskTv() <= 0) {
            return ScalarOps.mul(picture.mean(), 0);
        }
        NDArray a = alphas(leaves, progress, false); // [K−1, cells, cells]
        NDArray dy = a.get(":, 1:, :").sub(a.get(":, :-1, :")).abs().mean();
        NDArray dx = a.get(":, :, 1:").sub(a.get(":, :, :-1")).abs().mean();
        return ScalarOps.mul(dx.add(dy), settings.maskTv());
    }

    @Override
    public void update(int step) {
        List<NDArray> grads = new ArrayList<>(leaves.size());
        for (NDArray leaf : leaves) {
            NDArray g = leaf.getGradient();
            if (!Dreamer.allFinite(g)) {
                LOG.warn("dream step skipped: a mask gradient is not finite");
                return;
            }
            grads.add(g);
        }
        double lr = learningRate(step);
        for (int i = 0; i < levels.size(); i++) {
            optimizers.get(i).step(levels.get(i), grads.get(i), lr);
        }
    }

    /** Cosine from the peak to the end rate over the run. */
    double learningRate(int step) {
        double progress = totalSteps <= 1 ? 1 : (double) step / (totalSteps - 1);
        double end = settings.endLearningRate();
        return end + (settings.learningRate() - end) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }

    @Override
    public void resetOptimizer() {
        optimizers.forEach(Adam::reset);
    }

    @Override
    public RgbImage picture(int size) {
        try (NDManager scope = home.newSubManager()) {
            attachAll(scope);
            NDArray alpha = alphas(levels, 1.0, true);
            float[] masks = alpha.toFloatArray(); // [K−1, cells, cells], 0 or 1
            float[] out = new float[3 * size * size];
            for (int y = 0; y < size; y++) {
                int cy = y * cells / size;
                for (int x = 0; x < size; x++) {
                    int cx = x * cells / size;
                    float[] c = colours[0];
                    for (int k = painted - 1; k >= 0; k--) {
                        if (masks[(k * cells + cy) * cells + cx] > 0.5f) {
                            c = colours[k + 1];
                            break;
                        }
                    }
                    for (int ch = 0; ch < 3; ch++) {
                        out[(ch * size + y) * size + x] = c[ch];
                    }
                }
            }
            return new RgbImage(size, size, out);
        }
    }

    @Override
    public void close() {
        optimizers.forEach(Adam::close);
    }

    static float[] rgb(int rgb) {
        return new float[] {((rgb >> 16) & 0xFF) / 255f, ((rgb >> 8) & 0xFF) / 255f, (rgb & 0xFF) / 255f};
    }

    /**
     * {@code [to, from]} row-major: bilinear resampling of {@code from} cells onto {@code to} cells
     * (half-pixel centres, edges clamped, as PyTorch's {@code align_corners=False}).
     */
    static float[] bilinear(int from, int to) {
        float[] m = new float[to * from];
        double scale = (double) from / to;
        for (int i = 0; i < to; i++) {
            double src = Math.max(0, (i + 0.5) * scale - 0.5);
            int i0 = Math.min((int) Math.floor(src), from - 1);
            int i1 = Math.min(i0 + 1, from - 1);
            double w1 = src - i0;
            m[i * from + i0] += (float) (1 - w1);
            m[i * from + i1] += (float) w1;
        }
        return m;
    }

    /** {@code [to, from]} row-major: each of {@code to} pixels takes the cell it lies in. */
    static float[] nearest(int from, int to) {
        float[] m = new float[to * from];
        for (int i = 0; i < to; i++) {
            m[i * from + (int) ((long) i * from / to)] = 1f;
        }
        return m;
    }
}
