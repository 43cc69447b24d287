package dev.dreamoven.toyworld;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.dreamoven.clip.ScalarOps;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * The text tower's side of {@link SceneReadout}: a linear head that must read from a caption's
 * embedding what the caption names — per shape, in the caption's order, its colour, kind, size and
 * position; the relation; the background. Without it the text tower sits at the same saddle as the
 * image tower: "on the left" and "on the right" embed 0.000 apart in the shipped model, and a
 * read-out on the image side alone did not move them in 2,000 steps of fine-tuning. Only what a
 * caption names is asked (a short caption asks little). Trained beside the contrastive loss and not
 * saved with the model.
 */
final class CaptionReadout {

    static final int SLOTS = 2;
    private static final int COLOURS = ToyColour.values().length;
    private static final int KINDS = ShapeKind.values().length;
    private static final int SIZES = ShapeSize.values().length;
    private static final int POSITIONS = Position.values().length;
    private static final int RELATIONS = Relation.values().length;
    /** Class counts of the asked attributes, in output order: per slot colour, kind, size, position; then relation, background. */
    static final int[] GROUPS = {COLOURS, KINDS, SIZES, POSITIONS, COLOURS, KINDS, SIZES, POSITIONS, RELATIONS, COLOURS};
    static final int OUTPUTS = java.util.Arrays.stream(GROUPS).sum();

    private final Map<String, NDArray> parameters = new LinkedHashMap<>();

    CaptionReadout(int embedDim, long seed, NDManager manager) {
        parameters.putAll(SceneReadout.linearHead("caption_readout", embedDim, OUTPUTS, new Random(seed ^ 0xCA9710L), manager));
    }

    Map<String, NDArray> parameters() {
        return parameters;
    }

    /**
     * Cross-entropy of every attribute the caption names, summed over attributes and averaged over
     * captions; a scalar in {@code scope}.
     *
     * @param textEmbedding unit caption embeddings {@code [B, D]}, row i of {@code captions.get(i)}
     */
    NDArray loss(NDArray textEmbedding, List<String> captions, NDManager scope) {
        int b = captions.size();
        float[] targets = targets(captions); // [B, OUTPUTS], one-hot per named attribute, zero elsewhere
        NDArray out = SceneReadout.applyHead(parameters, "caption_readout", textEmbedding); // [B, OUTPUTS]
        NDArray target = scope.create(targets, new Shape(b, OUTPUTS));
        NDArray total = null;
        int from = 0;
        for (int classes : GROUPS) {
            String columns = ":, " + from + ":" + (from + classes);
            NDArray term = out.get(columns).logSoftmax(1).mul(target.get(columns)).sum().neg(); // []
            total = total == null ? term : total.add(term);
            from += classes;
        }
        return ScalarOps.div(total, b);
    }

    /** One-hot targets of what each caption names, {@code [B · OUTPUTS]} row-major. */
    static float[] targets(List<String> captions) {
        float[] out = new float[captions.size() * OUTPUTS];
        for (int i = 0; i < captions.size(); i++) {
            String caption = captions.get(i);
            Spec spec = ToyPrompt.parse(caption)
                    .orElseThrow(() -> new IllegalArgumentException("not a toy-world caption: " + caption));
            int row = i * OUTPUTS;
            int from = 0;
            for (int slot = 0; slot < SLOTS; slot++) {
                Optional<ShapeQuery> q = slot < spec.shapes().size() ? Optional.of(spec.shapes().get(slot)) : Optional.empty();
                from = mark(out, row, from, COLOURS, q.flatMap(ShapeQuery::colour).map(Enum::ordinal));
                from = mark(out, row, from, KINDS, q.flatMap(ShapeQuery::kind).map(Enum::ordinal));
                from = mark(out, row, from, SIZES, q.flatMap(ShapeQuery::size).map(Enum::ordinal));
                from = mark(out, row, from, POSITIONS, q.flatMap(ShapeQuery::position).map(Enum::ordinal));
            }
            from = mark(out, row, from, RELATIONS, spec.relation().map(Enum::ordinal));
            mark(out, row, from, COLOURS, spec.background().map(Enum::ordinal));
        }
        return out;
    }

    private static int mark(float[] out, int row, int from, int classes, Optional<Integer> index) {
        index.ifPresent(k -> out[row + from + k] = 1);
        return from + classes;
    }
}
