package dev.dreamoven.toyworld;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.dreamoven.clip.ScalarOps;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A linear read-out of the scene from the image embedding, trained beside the contrastive loss and
 * thrown away afterwards (it is not part of the saved model). Why: the contrastive loss alone
 * leaves the towers at a symmetric saddle for position — the image tower never encodes where a
 * shape is because no caption embedding differs by it, and no caption embedding differs by it
 * because no image embedding does (measured: "on the left" and "on the right" embed 0.000 apart in
 * the shipped model, and the image tower picks the right one of five positions 29 % of the time).
 * Asking the image embedding itself to hold, for every colour of the world, whether a shape of that
 * colour is there, where its centre is, its kind and its size (plus the background colour) gives
 * the image tower that gradient directly; the contrastive loss then pulls the captions after it.
 *
 * <p>Per colour the head has 9 outputs: a presence logit, the centre (x, y) scaled to −1..1, 4 kind
 * logits and 2 size logits; then 8 background logits. Colours are unambiguous in the world (two
 * shapes never share one), so "the shape of colour c" is well defined.
 */
final class SceneReadout {

    static final int COLOURS = ToyColour.values().length;
    static final int KINDS = ShapeKind.values().length;
    static final int SIZES = ShapeSize.values().length;
    static final int PER_COLOUR = 1 + 2 + KINDS + SIZES;
    static final int OUTPUTS = COLOURS * PER_COLOUR + COLOURS;

    private final Map<String, NDArray> parameters = new LinkedHashMap<>();

    /** Weights drawn from {@code seed} (small normal), zero bias; the arrays live in {@code manager}. */
    SceneReadout(int embedDim, long seed, NDManager manager) {
        parameters.putAll(linearHead("readout", embedDim, OUTPUTS, new Random(seed ^ 0x5CE7E5L), manager));
    }

    /**
     * A trainable linear map {@code [in] → [out]}: {@code NAME.weight [in, out]} drawn normal with
     * standard deviation 1/√in from {@code random}, and {@code NAME.bias [out]} at zero.
     */
    static Map<String, NDArray> linearHead(String name, int in, int out, Random random, NDManager manager) {
        float[] w = new float[in * out];
        double std = 1 / Math.sqrt(in);
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (std * random.nextGaussian());
        }
        NDArray weight = manager.create(w, new Shape(in, out));
        NDArray bias = manager.zeros(new Shape(out));
        weight.setRequiresGradient(true);
        bias.setRequiresGradient(true);
        Map<String, NDArray> head = new LinkedHashMap<>();
        head.put(name + ".weight", weight);
        head.put(name + ".bias", bias);
        return head;
    }

    /**
     * The head {@code NAME} of {@code head} applied to unit embeddings {@code [B, D]}: {@code [B, out]}.
     * The rows are scaled to norm √D first, so that a head drawn by {@link #linearHead} starts out
     * at a sensible scale.
     */
    static NDArray applyHead(Map<String, NDArray> head, String name, NDArray unitEmbedding) {
        double scale = Math.sqrt(unitEmbedding.getShape().get(1));
        return ScalarOps.mul(unitEmbedding, scale).matMul(head.get(name + ".weight")).add(head.get(name + ".bias"));
    }

    /** The head's trainable arrays by name. */
    Map<String, NDArray> parameters() {
        return parameters;
    }

    /**
     * Presence (binary cross-entropy), centre (squared error) and kind and size (cross-entropy) of
     * every colour's shape where there is one, plus the background (cross-entropy), summed; a scalar
     * in {@code scope}.
     *
     * @param imageEmbedding unit image embeddings {@code [B, D]}, row i showing {@code scenes.get(i)}
     */
    NDArray loss(NDArray imageEmbedding, List<Scene> scenes, NDManager scope) {
        int b = scenes.size();
        Targets t = Targets.of(scenes);
        NDArray out = applyHead(parameters, "readout", imageEmbedding); // [B, OUTPUTS]
        NDArray perColour = out.get(":, 0:" + COLOURS * PER_COLOUR).reshape(b, COLOURS, PER_COLOUR); // [B, C, 9]
        NDArray background = out.get(":, " + COLOURS * PER_COLOUR + ":"); // [B, C]
        NDArray present = scope.create(t.present, new Shape(b, COLOURS)); // [B, C]
        float count = Math.max(1f, t.shapes);

        NDArray presence = perColour.get(":, :, 0"); // [B, C] logits
        // log(1 + e^z) − y·z, written to stay finite for large |z|
        NDArray softplus = ScalarOps.max(presence, 0).add(presence.abs().neg().exp().add(1f).log());
        NDArray presenceLoss = ScalarOps.div(softplus.sub(presence.mul(present)).sum(), (double) b * COLOURS);

        NDArray centre = perColour.get(":, :, 1:3"); // [B, C, 2]
        NDArray centreTarget = scope.create(t.centre, new Shape(b, COLOURS, 2));
        NDArray centreLoss = ScalarOps.div(centre.sub(centreTarget).square().sum(new int[] {2}).mul(present).sum(), count);

        NDArray kinds = perColour.get(":, :, 3:" + (3 + KINDS)).logSoftmax(2); // [B, C, 4]
        NDArray kindLoss = ScalarOps.div(kinds.mul(scope.create(t.kind, new Shape(b, COLOURS, KINDS))).sum().neg(), count);

        NDArray sizes = perColour.get(":, :, " + (3 + KINDS) + ":").logSoftmax(2); // [B, C, 2]
        NDArray sizeLoss = ScalarOps.div(sizes.mul(scope.create(t.size, new Shape(b, COLOURS, SIZES))).sum().neg(), count);

        NDArray backgroundLoss = ScalarOps.div(background.logSoftmax(1)
                .mul(scope.create(t.background, new Shape(b, COLOURS))).sum().neg(), b);
        return presenceLoss.add(centreLoss).add(kindLoss).add(sizeLoss).add(backgroundLoss);
    }

    /** What the head should read from each scene, as flat row-major arrays. */
    record Targets(float[] present, float[] centre, float[] kind, float[] size, float[] background, int shapes) {

        static Targets of(List<Scene> scenes) {
            int b = scenes.size();
            float[] present = new float[b * COLOURS];
            float[] centre = new float[b * COLOURS * 2];
            float[] kind = new float[b * COLOURS * KINDS];
            float[] size = new float[b * COLOURS * SIZES];
            float[] background = new float[b * COLOURS];
            int shapes = 0;
            for (int i = 0; i < b; i++) {
                Scene scene = scenes.get(i);
                background[i * COLOURS + scene.background().ordinal()] = 1;
                for (ShapeSpec s : scene.shapes()) {
                    int c = i * COLOURS + s.colour().ordinal();
                    present[c] = 1;
                    centre[c * 2] = (float) (2 * s.centreX() / ToyWorld.SIDE - 1);
                    centre[c * 2 + 1] = (float) (2 * s.centreY() / ToyWorld.SIDE - 1);
                    kind[c * KINDS + s.kind().ordinal()] = 1;
                    size[c * SIZES + s.size().ordinal()] = 1;
                    shapes++;
                }
            }
            return new Targets(present, centre, kind, size, background, shapes);
        }
    }
}
