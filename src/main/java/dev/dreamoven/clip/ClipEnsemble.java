package dev.dreamoven.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.dreamoven.common.InvalidInputException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Several CLIP models guiding as one (pixray's and the CLIP notebooks' habit of mixing ResNet and
 * ViT models). Its embedding space is the concatenation of the members' spaces, each member's part
 * unit length times {@code sqrt(w)} with the weights normalized to sum to 1, so the cosine of two
 * ensemble embeddings is the weighted mean of the members' cosines. Everything that compares
 * embeddings (text targets, baked paths, the planner's nearest prompt, picture similarity) works on
 * an ensemble unchanged, and its id names every member, so baked paths of one ensemble are never
 * served to another model.
 *
 * <p>The dream loop asks for the {@link #members} so that each model sees its own views at its own
 * input resolution and the loss is the weighted sum of the members' losses. Everything else goes
 * through {@link #encodeImage}, which takes pictures at the largest member resolution and resizes
 * them for the others. The members share one tokenizer: the same vocabulary and context length.
 */
public final class ClipEnsemble implements ClipModel {

    /**
     * One model of the ensemble.
     *
     * @param weight normalized: the members' weights sum to 1
     * @param offset where its part starts in the ensemble embedding
     */
    public record Member(ClipModel model, double weight, int offset) {
        public int embedDim() {
            return model.embedDim();
        }
    }

    private final List<Member> members;
    private final String id;
    private final int embedDim;
    private final int imageResolution;

    /**
     * Takes ownership of the models (closed with the ensemble).
     *
     * @param weights positive, one per model; any scale (normalized here)
     * @throws InvalidInputException when the models do not share vocabulary and context length
     */
    public ClipEnsemble(List<? extends ClipModel> models, List<Double> weights) {
        if (models.size() < 2 || models.size() != weights.size()) {
            throw new IllegalArgumentException("an ensemble takes two or more models, one weight each");
        }
        ClipConfig first = models.get(0).config();
        for (ClipModel m : models) {
            if (m.config().vocabSize() != first.vocabSize() || m.config().contextLength() != first.contextLength()) {
                throw new InvalidInputException("models " + models.get(0).id() + " and " + m.id()
                        + " cannot guide together: their tokenizers differ (vocabulary " + first.vocabSize() + " vs "
                        + m.config().vocabSize() + ", context " + first.contextLength() + " vs "
                        + m.config().contextLength() + ")");
            }
        }
        double sum = weights.stream().mapToDouble(Double::doubleValue).sum();
        double max = weights.stream().mapToDouble(Double::doubleValue).max().orElse(1);
        List<Member> list = new ArrayList<>();
        StringBuilder name = new StringBuilder();
        int offset = 0;
        int resolution = 0;
        for (int i = 0; i < models.size(); i++) {
            double w = weights.get(i);
            if (!(w > 0) || Double.isInfinite(w)) {
                throw new InvalidInputException("the weight of " + models.get(i).id() + " must be a positive number, got "
                        + w);
            }
            ClipModel m = models.get(i);
            list.add(new Member(m, w / sum, offset));
            offset += m.embedDim();
            resolution = Math.max(resolution, m.imageResolution());
            name.append(i == 0 ? "" : "+").append(m.id()).append(w == max ? "" : ":" + relativeWeight(w / max));
        }
        this.members = List.copyOf(list);
        this.id = name.toString();
        this.embedDim = offset;
        this.imageResolution = resolution;
    }

    /** {@code 0.5}, {@code 0.333}: three significant digits, no trailing zeros. */
    private static String relativeWeight(double w) {
        return new BigDecimal(w).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }

    public List<Member> members() {
        return members;
    }

    /**
     * The members' ids with their weights relative to the heaviest, e.g. {@code ViT-B-32+RN50:0.5}
     * (equal weights are not written).
     */
    @Override
    public String id() {
        return id;
    }

    /**
     * The first member's numbers; its text side (context, vocabulary) is every member's. The
     * ensemble's own image resolution and embedding width are {@link #imageResolution} and
     * {@link #embedDim}.
     */
    @Override
    public ClipConfig config() {
        return members.get(0).model().config();
    }

    /** The first member's device: one process loads every member on its one device. */
    @Override
    public ai.djl.Device device() {
        return members.get(0).model().device();
    }

    /** The largest member resolution: {@link #encodeImage} resizes down from it for the others. */
    @Override
    public int imageResolution() {
        return imageResolution;
    }

    /** The sum of the members' widths. */
    @Override
    public int embedDim() {
        return embedDim;
    }

    /** {@code [N, 3, R, R]} at {@link #imageResolution} → {@code [N, ΣD]}, each part unit length × √w. */
    @Override
    public NDArray encodeImage(NDArray pixels) {
        NDList parts = new NDList(members.size());
        for (Member m : members) {
            NDArray own = resize(pixels, m.model().imageResolution()); // [N, 3, Ri, Ri]
            parts.add(weighted(m, m.model().encodeImage(own)));
        }
        return NDArrays.concat(parts, 1);
    }

    /** {@code [N, context]} → {@code [N, ΣD]}, each part unit length × √w. */
    @Override
    public NDArray encodeText(NDArray tokens) {
        NDList parts = new NDList(members.size());
        for (Member m : members) {
            parts.add(weighted(m, m.model().encodeText(tokens)));
        }
        return NDArrays.concat(parts, 1);
    }

    /** A member's raw embedding {@code [N, Di]} as its part of the ensemble embedding. */
    private static NDArray weighted(Member m, NDArray raw) {
        NDArray unit = raw.div(ScalarOps.max(raw.norm(new int[] {1}, true), 1e-12f)); // [N, Di]
        return ScalarOps.mul(unit, Math.sqrt(m.weight()));
    }

    /**
     * Square pictures resized to {@code side} with a separable linear filter widened when shrinking
     * (so a downscale averages instead of skipping pixels); differentiable.
     * {@code [N, 3, R, R] → [N, 3, side, side]}
     */
    static NDArray resize(NDArray pixels, int side) {
        int from = (int) pixels.getShape().get(3);
        if (from == side) {
            return pixels;
        }
        NDManager manager = pixels.getManager();
        NDArray a = manager.create(linearFilter(from, side), new Shape(side, from)); // [side, R]
        return a.matMul(pixels.matMul(a.transpose())); // [N, 3, side, side]
    }

    /** Rows of weights, one per output pixel, each summing to 1 (pixel centres aligned). */
    static float[] linearFilter(int from, int to) {
        double scale = (double) from / to;
        double support = Math.max(1, scale);
        float[] w = new float[to * from];
        for (int i = 0; i < to; i++) {
            double centre = (i + 0.5) * scale - 0.5;
            double sum = 0;
            for (int j = 0; j < from; j++) {
                double v = Math.max(0, 1 - Math.abs(j - centre) / support);
                w[i * from + j] = (float) v;
                sum += v;
            }
            for (int j = 0; j < from; j++) {
                w[i * from + j] = (float) (w[i * from + j] / sum);
            }
        }
        return w;
    }

    @Override
    public void close() {
        members.forEach(m -> m.model().close());
    }
}
