package dev.dreamoven.lab.toyworld;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.dreamoven.clip.ClipImages;
import dev.dreamoven.clip.ClipModel;
import dev.dreamoven.clip.ClipTokenizer;
import dev.dreamoven.image.RgbImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Held-out zero-shot retrieval in the toy world: groups of {@code groupSize} fresh scenes, each
 * with its fully detailed caption ({@link #fullCaption}); a caption counts as right when its own
 * picture has the highest cosine among the group's pictures (and a picture when its own caption
 * wins among the group's captions).
 *
 * <p>The full caption is used because a short one ("a red circle") is often just as true of
 * another picture in the group, which would make the score measure the group, not the model.
 */
public final class ToyClipEvaluation {

    /** The held-out seed: training draws its scenes from seeds that never equal it. */
    public static final long HELD_OUT_SEED = 0x5EED_0F_7E57L;

    /** Fractions of captions (text → image) and of pictures (image → text) matched correctly. */
    /**
     * Fractions of captions (text → image) and of pictures (image → text) matched correctly in
     * {@code pairs} {@code groupSize}-way trials, and {@code hardTextToImage}: the fraction of
     * {@code hardCaptions} full captions that pick their picture among the scene and its three
     * one-attribute {@link ToyWorld#variants} (4-way, same colours: chance is 25%).
     */
    public record Accuracy(double textToImage, double imageToText, int pairs, double hardTextToImage,
            int hardCaptions) {
        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT,
                    "text→image %.1f%%, image→text %.1f%% (%d pairs); hard text→image %.1f%% (%d captions, 4-way)",
                    100 * textToImage, 100 * imageToText, pairs, 100 * hardTextToImage, hardCaptions);
        }
    }

    /** The seed of the held-out hard-negative groups (distinct from {@link #HELD_OUT_SEED}). */
    public static final long HARD_SEED = HELD_OUT_SEED + 1;

    /** {@code count} held-out groups: a base scene followed by its three variants, the same on every call. */
    public static List<List<Scene>> heldOutHardGroups(ToyWorld world, int count) {
        java.util.Random random = new java.util.Random(HARD_SEED);
        List<List<Scene>> out = new ArrayList<>(count);
        while (out.size() < count) {
            Scene base = world.scene(random);
            List<Scene> group = new ArrayList<>(List.of(base));
            group.addAll(world.variants(base, random));
            if (group.size() == 4) {
                out.add(group);
            }
        }
        return out;
    }

    /**
     * Hard retrieval: each full caption of a group against the group's four pictures; the fraction
     * whose own picture has the highest cosine. {@code count} groups (4·count captions).
     */
    public static double hardTextToImage(ClipModel model, ClipTokenizer tokenizer, ToyWorld world, int count,
            NDManager parent) {
        List<Scene> scenes = new ArrayList<>();
        heldOutHardGroups(world, count).forEach(scenes::addAll);
        return fourWay(model, tokenizer, world, scenes, parent)[0] / (4.0 * count);
    }

    /**
     * For each attribute, the fraction of full captions whose own picture wins among pictures that
     * differ from it in that attribute alone (same colours, background and everything else).
     *
     * @param position 5-way (left, right, top, bottom, centre), big single shapes
     * @param kind 4-way (circle, square, triangle, cross)
     * @param size 2-way (small, big)
     * @param relation 4-way (left of, right of, above, below), two shapes
     */
    public record AttributeAccuracy(double position, double kind, double size, double relation) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "position %.1f%% (5-way), kind %.1f%% (4-way), size %.1f%% (2-way), "
                    + "relation %.1f%% (4-way)", 100 * position, 100 * kind, 100 * size, 100 * relation);
        }
    }

    /** Seed of the scenes {@link #attributeAccuracy} draws. */
    public static final long ATTRIBUTE_SEED = HELD_OUT_SEED + 2;

    /** {@link AttributeAccuracy} over {@code groups} scenes per attribute (colours and kinds cycle). */
    public static AttributeAccuracy attributeAccuracy(ClipModel model, ClipTokenizer tokenizer, ToyWorld world,
            int groups, NDManager parent) {
        Random random = new Random(ATTRIBUTE_SEED);
        ToyColour[] colours = ToyColour.values();
        ShapeKind[] kinds = ShapeKind.values();
        int[] right = new int[4];
        int[] asked = new int[4];
        for (int g = 0; g < groups; g++) {
            ToyColour colour = colours[g % colours.length];
            ToyColour other = colours[(g + 1 + g / colours.length) % colours.length];
            ToyColour background = colours[(g + 3) % colours.length];
            if (background == other) {
                background = colours[(g + 5) % colours.length];
            }
            ShapeKind kind = kinds[g % kinds.length];
            ShapeKind otherKind = kinds[(g + 1) % kinds.length];
            Position position = Position.values()[g % Position.values().length];
            String bg = " on " + article(background.word()) + " background";
            List<String> byPosition = new ArrayList<>();
            for (Position p : Position.values()) {
                byPosition.add(article("big " + colour.word() + " " + kind.word()) + " " + p.phrase() + bg);
            }
            List<String> byKind = new ArrayList<>();
            for (ShapeKind k : kinds) {
                byKind.add(article("big " + colour.word() + " " + k.word()) + " " + position.phrase() + bg);
            }
            List<String> bySize = new ArrayList<>();
            for (ShapeSize z : ShapeSize.values()) {
                bySize.add(article(z.word() + " " + colour.word() + " " + kind.word()) + " " + position.phrase() + bg);
            }
            List<String> byRelation = new ArrayList<>();
            for (Relation r : Relation.values()) {
                byRelation.add(article(colour.word() + " " + kind.word()) + " " + r.phrase() + " "
                        + article(other.word() + " " + otherKind.word()) + bg);
            }
            List<List<String>> sets = List.of(byPosition, byKind, bySize, byRelation);
            for (int a = 0; a < sets.size(); a++) {
                right[a] += ownPictureWins(model, tokenizer, world, sets.get(a), random, parent);
                asked[a] += sets.get(a).size();
            }
        }
        return new AttributeAccuracy((double) right[0] / asked[0], (double) right[1] / asked[1],
                (double) right[2] / asked[2], (double) right[3] / asked[3]);
    }

    /** Seed of the scenes {@link #trueRenderSimilarity} draws. */
    public static final long TRUE_RENDER_SEED = HELD_OUT_SEED + 3;

    /**
     * Mean cosine between each prompt and {@code perPrompt} true renders of it (scenes drawn to
     * satisfy it): what a dream that shows its prompt would score, to compare with the dreams' own
     * similarity in {@code eval}.
     */
    public static double trueRenderSimilarity(ClipModel model, ClipTokenizer tokenizer, ToyWorld world,
            List<String> prompts, int perPrompt, NDManager parent) {
        return java.util.Arrays.stream(trueRenderSimilarities(model, tokenizer, world, prompts, perPrompt, parent))
                .average().orElse(Double.NaN);
    }

    /** As {@link #trueRenderSimilarity}, one mean cosine per prompt. */
    public static double[] trueRenderSimilarities(ClipModel model, ClipTokenizer tokenizer, ToyWorld world,
            List<String> prompts, int perPrompt, NDManager parent) {
        Random random = new Random(TRUE_RENDER_SEED);
        double[] out = new double[prompts.size()];
        for (int p = 0; p < prompts.size(); p++) {
            String prompt = prompts.get(p);
            List<RgbImage> pictures = new ArrayList<>();
            for (int i = 0; i < perPrompt; i++) {
                pictures.add(truePicture(world, prompt, random));
            }
            try (NDManager scope = parent.newSubManager()) {
                NDArray imageEmb = unit(model.encodeImage(ClipImages.normalize(pixels(pictures, scope)))); // [n, D]
                NDArray textEmb = unit(model.encodeText(tokens(tokenizer, List.of(prompt), scope))); // [1, D]
                out[p] = imageEmb.matMul(textEmb.transpose()).mean().getFloat();
            }
        }
        return out;
    }

    /**
     * The shape-only test, per size: text→image, each full caption picks its own render among the
     * four renders of a scene that differ only in the shape's kind; image→text, each render picks
     * its own caption among their four captions (chance 25 %). A guide that cannot tell these apart
     * cannot draw shapes.
     */
    public record ShapeOnly(double smallTextToImage, double smallImageToText, double bigTextToImage,
            double bigImageToText, int scenesPerSize) {

        /** Every figure at least {@code gate}. */
        public boolean passes(double gate) {
            return smallTextToImage >= gate && smallImageToText >= gate && bigTextToImage >= gate
                    && bigImageToText >= gate;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "small text→image %.1f%%, image→text %.1f%%; big text→image %.1f%%, "
                    + "image→text %.1f%% (%d scenes a size, 4-way)", 100 * smallTextToImage, 100 * smallImageToText,
                    100 * bigTextToImage, 100 * bigImageToText, scenesPerSize);
        }
    }

    /** Seed of the scenes {@link #shapeOnly} draws. */
    public static final long SHAPE_ONLY_SEED = HELD_OUT_SEED + 4;

    /** {@link ShapeOnly} over {@code scenes} random one-shape scenes of each size. */
    public static ShapeOnly shapeOnly(ClipModel model, ClipTokenizer tokenizer, ToyWorld world, int scenes,
            NDManager parent) {
        Random random = new Random(SHAPE_ONLY_SEED);
        double[] figures = new double[4];
        for (ShapeSize size : ShapeSize.values()) {
            Spec spec = new Spec(java.util.Optional.empty(), List.of(new ShapeQuery(java.util.Optional.empty(),
                    java.util.Optional.empty(), java.util.Optional.of(size), java.util.Optional.empty())),
                    java.util.Optional.empty());
            List<Scene> quads = new ArrayList<>();
            for (int i = 0; i < scenes; i++) {
                Scene base = world.sceneFor(spec, random).orElseThrow();
                ShapeSpec s = base.shapes().get(0);
                for (ShapeKind kind : ShapeKind.values()) {
                    quads.add(new Scene(base.background(), List.of(new ShapeSpec(kind, s.size(), s.colour(),
                            s.centreX(), s.centreY())), java.util.Optional.empty()));
                }
            }
            int[] right = fourWay(model, tokenizer, world, quads, parent);
            figures[2 * size.ordinal()] = right[0] / (4.0 * scenes);
            figures[2 * size.ordinal() + 1] = right[1] / (4.0 * scenes);
        }
        return new ShapeOnly(figures[0], figures[1], figures[2], figures[3], scenes);
    }

    /**
     * Groups of four scenes in a row, each with its full caption: how many captions pick their own
     * picture within their group (text→image), and how many pictures their own caption (image→text).
     */
    private static int[] fourWay(ClipModel model, ClipTokenizer tokenizer, ToyWorld world, List<Scene> scenes,
            NDManager parent) {
        int[] right = new int[2];
        int chunk = 64; // pictures per forward pass: 16 groups
        for (int start = 0; start < scenes.size(); start += chunk) {
            List<Scene> part = scenes.subList(start, Math.min(scenes.size(), start + chunk));
            try (NDManager scope = parent.newSubManager()) {
                NDArray imageEmb = unit(model.encodeImage(ClipImages.normalize(
                        pixels(part.stream().map(world::render).toList(), scope)))); // [n, D]
                NDArray textEmb = unit(model.encodeText(tokens(tokenizer, captions(part), scope))); // [n, D]
                float[] sim = textEmb.matMul(imageEmb.transpose()).toFloatArray(); // [n texts, n images]
                int n = part.size();
                for (int i = 0; i < n; i++) {
                    int first = i / 4 * 4;
                    int bestImage = first;
                    int bestText = first;
                    for (int j = first + 1; j < first + 4; j++) {
                        if (sim[i * n + j] > sim[i * n + bestImage]) {
                            bestImage = j;
                        }
                        if (sim[j * n + i] > sim[bestText * n + i]) {
                            bestText = j;
                        }
                    }
                    right[0] += bestImage == i ? 1 : 0;
                    right[1] += bestText == i ? 1 : 0;
                }
            }
        }
        return right;
    }

    /** How many of {@code texts} rank their own picture (one drawn per text) first among the set's pictures. */
    private static int ownPictureWins(ClipModel model, ClipTokenizer tokenizer, ToyWorld world, List<String> texts,
            Random random, NDManager parent) {
        List<RgbImage> pictures = new ArrayList<>();
        for (String text : texts) {
            pictures.add(truePicture(world, text, random));
        }
        try (NDManager scope = parent.newSubManager()) {
            NDArray imageEmb = unit(model.encodeImage(ClipImages.normalize(pixels(pictures, scope)))); // [n, D]
            NDArray textEmb = unit(model.encodeText(tokens(tokenizer, texts, scope))); // [n, D]
            long[] bestImage = textEmb.matMul(imageEmb.transpose()).argMax(1).toLongArray(); // [n texts]
            int wins = 0;
            for (int i = 0; i < bestImage.length; i++) {
                wins += bestImage[i] == i ? 1 : 0;
            }
            return wins;
        }
    }

    /** A rendered scene that shows {@code prompt}, its open attributes drawn from {@code random}. */
    private static RgbImage truePicture(ToyWorld world, String prompt, Random random) {
        Spec spec = ToyPrompt.parse(prompt).orElseThrow(() -> new IllegalArgumentException("not a toy prompt: " + prompt));
        return world.render(world.sceneFor(spec, random).orElseThrow(
                () -> new IllegalArgumentException("the world cannot show: " + prompt)));
    }

    /**
     * The spherical distance {@code 2·arcsin(‖â−b̂‖/2)²} (0..π²/2) between the text embeddings of
     * each pair of captions, as the baked-path store measures prompts.
     */
    public static double[] textDistances(ClipModel model, ClipTokenizer tokenizer, List<List<String>> pairs,
            NDManager parent) {
        List<String> texts = new ArrayList<>();
        pairs.forEach(p -> texts.addAll(p.subList(0, 2)));
        try (NDManager scope = parent.newSubManager()) {
            float[] e = unit(model.encodeText(tokens(tokenizer, texts, scope))).toFloatArray(); // [2P, D]
            int d = e.length / texts.size();
            double[] out = new double[pairs.size()];
            for (int p = 0; p < pairs.size(); p++) {
                double sq = 0;
                for (int k = 0; k < d; k++) {
                    double diff = e[2 * p * d + k] - e[(2 * p + 1) * d + k];
                    sq += diff * diff;
                }
                double angle = 2 * Math.asin(Math.min(1, Math.sqrt(sq) / 2));
                out[p] = angle * angle / 2;
            }
            return out;
        }
    }

    /** Caption pairs that differ only in shape, relation, position or size (reported with every evaluation). */
    public static final List<List<String>> CONTRAST_PAIRS = List.of(
            List.of("a red square", "a red circle"),
            List.of("a blue cross", "a blue triangle"),
            List.of("a red circle right of a blue square", "a red circle left of a blue square"),
            List.of("a green circle above a yellow square", "a green circle below a yellow square"),
            List.of("a red circle on the left", "a red circle on the right"),
            List.of("a big green triangle", "a small green triangle"),
            List.of("a red circle", "a blue circle"));

    private ToyClipEvaluation() {
    }

    /** The held-out scenes, {@code groups × groupSize} of them, the same on every call. */
    public static List<Scene> heldOutScenes(ToyWorld world, int count) {
        java.util.Random random = new java.util.Random(HELD_OUT_SEED);
        List<Scene> scenes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            scenes.add(world.scene(random));
        }
        return scenes;
    }

    /** Evaluates {@code model} on the held-out scenes; uses and frees its own scope. */
    public static Accuracy evaluate(ClipModel model, ClipTokenizer tokenizer, ToyWorld world, int groups,
            int groupSize, NDManager parent) {
        List<Scene> scenes = heldOutScenes(world, groups * groupSize);
        int textRight = 0;
        int imageRight = 0;
        for (int g = 0; g < groups; g++) {
            try (NDManager scope = parent.newSubManager()) {
                List<Scene> group = scenes.subList(g * groupSize, (g + 1) * groupSize);
                NDArray images = ClipImages.normalize(pixels(group.stream().map(world::render).toList(), scope)); // [G, 3, R, R]
                NDArray tokens = tokens(tokenizer, captions(group), scope); // [G, ctx]
                NDArray imageEmb = unit(model.encodeImage(images)); // [G, D]
                NDArray textEmb = unit(model.encodeText(tokens)); // [G, D]
                NDArray similarity = textEmb.matMul(imageEmb.transpose()); // [G texts, G images]
                long[] bestImage = similarity.argMax(1).toLongArray();
                long[] bestText = similarity.argMax(0).toLongArray();
                for (int i = 0; i < groupSize; i++) {
                    textRight += bestImage[i] == i ? 1 : 0;
                    imageRight += bestText[i] == i ? 1 : 0;
                }
            }
        }
        int pairs = groups * groupSize;
        int hardGroups = pairs / 4;
        return new Accuracy((double) textRight / pairs, (double) imageRight / pairs, pairs,
                hardTextToImage(model, tokenizer, world, hardGroups, parent), 4 * hardGroups);
    }

    /** Every fact of the scene in the generator's words: size, colour, kind, position or relation, background. */
    public static String fullCaption(Scene scene) {
        String background = " on " + article(scene.background().word()) + " background";
        if (scene.shapes().size() == 1) {
            ShapeSpec s = scene.shapes().get(0);
            return phrase(s) + " " + Position.of(s.centreX(), s.centreY(), ToyWorld.SIDE, ToyWorld.SIDE).phrase()
                    + background;
        }
        return phrase(scene.shapes().get(0)) + " " + scene.relation().orElseThrow().phrase() + " "
                + phrase(scene.shapes().get(1)) + background;
    }

    static List<String> captions(List<Scene> scenes) {
        List<String> out = new ArrayList<>(scenes.size());
        for (Scene s : scenes) {
            out.add(fullCaption(s));
        }
        return out;
    }

    /** Pictures as {@code [N, 3, SIDE, SIDE]} in 0..1, in {@code manager}. */
    static NDArray pixels(List<RgbImage> pictures, NDManager manager) {
        int plane = 3 * ToyWorld.SIDE * ToyWorld.SIDE;
        float[] flat = new float[pictures.size() * plane];
        for (int i = 0; i < pictures.size(); i++) {
            System.arraycopy(pictures.get(i).data(), 0, flat, i * plane, plane);
        }
        return manager.create(flat, new Shape(pictures.size(), 3, ToyWorld.SIDE, ToyWorld.SIDE));
    }

    /** Token ids {@code [N, ctx]} (int32), truncating nothing: captions always fit the context. */
    static NDArray tokens(ClipTokenizer tokenizer, List<String> texts, NDManager manager) {
        int ctx = tokenizer.contextLength();
        int[] flat = new int[texts.size() * ctx];
        for (int i = 0; i < texts.size(); i++) {
            System.arraycopy(tokenizer.encode(texts.get(i)), 0, flat, i * ctx, ctx);
        }
        return manager.create(flat, new Shape(texts.size(), ctx));
    }

    /** Rows scaled to unit length. x: [N, D]. */
    static NDArray unit(NDArray x) {
        return x.div(x.norm(new int[] {1}, true));
    }

    private static String phrase(ShapeSpec s) {
        return article(s.size().word() + " " + s.colour().word() + " " + s.kind().word());
    }

    private static String article(String words) {
        return ("aeiou".indexOf(words.charAt(0)) >= 0 ? "an " : "a ") + words;
    }
}
