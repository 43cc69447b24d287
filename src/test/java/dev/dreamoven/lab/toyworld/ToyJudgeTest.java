package dev.dreamoven.lab.toyworld;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dreamoven.image.PixelArt;
import dev.dreamoven.image.RgbImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The strict judge's controls, as specifications: what it must accept (clean renders), what it must
 * reject (one attribute changed, cut shapes, copies, extra blobs) and how rarely pictures that only
 * have the right colours get through (random smooth blobs and random cell masks: at most 2 %).
 */
class ToyJudgeTest {

    private static final ToyWorld WORLD = new ToyWorld();
    private static final ToyJudge JUDGE = new ToyJudge();
    private static final int SIDE = ToyWorld.SIDE;
    private static List<Sample> samples;

    @BeforeAll
    static void generate() {
        samples = WORLD.samples(2024, 400);
    }

    private static Spec parse(String prompt) {
        return ToyPrompt.parse(prompt).orElseThrow(() -> new AssertionError("unparsed: " + prompt));
    }

    @Test
    void acceptsEveryCleanRenderUnderItsCaptionItsFullCaptionAndItsWholeTruth() {
        List<String> failures = new ArrayList<>();
        for (Sample s : samples) {
            for (Spec spec : List.of(parse(s.caption()), parse(ToyClipEvaluation.fullCaption(s.scene())),
                    Spec.of(s.scene(), SIDE, SIDE))) {
                Verdict v = JUDGE.judge(s.image(), spec);
                if (!v.passed()) {
                    failures.add(s.caption() + " -> " + v.reasons());
                }
                assertThat(v.coloursRight()).isTrue();
            }
        }
        System.out.printf("strict judge accepts %d/%d clean renders (caption, full caption, scene)%n",
                3 * samples.size() - failures.size(), 3 * samples.size());
        assertThat(failures).isEmpty();
    }

    @Test
    void acceptsCleanRendersOfEveryEvaluationPrompt() {
        Random random = new Random(9);
        for (String p : ToyPromptSet.all()) {
            Spec spec = parse(p);
            for (int i = 0; i < 10; i++) {
                Scene scene = WORLD.sceneFor(spec, random).orElseThrow(() -> new AssertionError(p));
                Verdict v = JUDGE.judge(WORLD.render(scene), spec);
                assertThat(v.passed()).as("%s: %s", p, v.reasons()).isTrue();
            }
        }
    }

    @Test
    void rejectsTheFullCaptionOfEveryOneAttributeVariant() {
        Random random = new Random(77);
        int rejected = 0;
        int judged = 0;
        List<String> wrongly = new ArrayList<>();
        for (Sample s : samples) {
            for (Scene variant : WORLD.variants(s.scene(), random)) {
                String caption = ToyClipEvaluation.fullCaption(variant);
                Verdict v = JUDGE.judge(s.image(), parse(caption));
                judged++;
                if (!v.passed()) {
                    rejected++;
                    assertThat(v.coloursRight()).as("the colours are the same: %s", caption).isTrue();
                } else {
                    wrongly.add(ToyClipEvaluation.fullCaption(s.scene()) + " accepted as " + caption);
                }
            }
        }
        System.out.printf("strict judge rejects %d/%d full captions of one-attribute variants%n", rejected, judged);
        assertThat(judged).isEqualTo(3 * samples.size());
        assertThat(wrongly).isEmpty();
    }

    @Test
    void acceptsAtMost2PercentOfRandomSmoothBlobsInTheCaptionsColours() {
        assertThat(controlsAccepted("random smooth blobs", 31, 4048, ToyJudgeTest::smoothBlob)).isLessThanOrEqualTo(20);
    }

    @Test
    void acceptsAtMost2PercentOfRandomCellMasksInTheCaptionsColours() {
        assertThat(controlsAccepted("random cell masks", 32, 4049, ToyJudgeTest::cellMask)).isLessThanOrEqualTo(20);
    }

    /** Of 1000 random scenes, how many captions the judge accepts for random masks in the scene's colours. */
    private static int controlsAccepted(String what, long maskSeed, long sceneSeed, Masks masks) {
        Random random = new Random(maskSeed);
        List<Sample> scenes = WORLD.samples(sceneSeed, 1000);
        int accepted = 0;
        for (Sample s : scenes) {
            if (JUDGE.judge(paint(s.scene(), random, masks), parse(s.caption())).passed()) {
                accepted++;
            }
        }
        System.out.printf("strict judge accepts %d/%d %s in the caption's colours%n", accepted, scenes.size(), what);
        return accepted;
    }

    @Test
    void rejectsAShapeCutByTheEdge() {
        Figure circle = new Figure(ShapeKind.CIRCLE, ToyColour.RED, 6, 32, 32); // half of it off the left edge
        Verdict v = JUDGE.judge(WORLD.draw(ToyColour.BLUE, List.of(circle)), parse("a red circle"));
        assertThat(v.passed()).isFalse();
        assertThat(v.coloursRight()).isTrue();
        assertThat(String.join("\n", v.reasons())).contains("cut by the edge");
        // Touching the border is enough.
        Figure square = new Figure(ShapeKind.SQUARE, ToyColour.RED, 8, 32, 16);
        assertThat(JUDGE.judge(WORLD.draw(ToyColour.BLUE, List.of(square)), parse("a red square")).passed()).isFalse();
        assertThat(JUDGE.judge(WORLD.draw(ToyColour.BLUE, List.of(square.at(9, 32))), parse("a red square")).passed())
                .isTrue();
    }

    @Test
    void rejectsTwoCopiesOfTheAskedShape() {
        Figure big = new Figure(ShapeKind.CIRCLE, ToyColour.RED, 20, 32, 32);
        Figure copy = new Figure(ShapeKind.CIRCLE, ToyColour.RED, 50, 32, 10);
        Spec spec = parse("a big red circle on a blue background");
        assertThat(JUDGE.judge(WORLD.draw(ToyColour.BLUE, List.of(big)), spec).passed()).isTrue();
        Verdict v = JUDGE.judge(WORLD.draw(ToyColour.BLUE, List.of(big, copy)), spec);
        assertThat(v.passed()).isFalse();
        assertThat(String.join("\n", v.reasons())).contains("1 extra region: red region of");
        Verdict equal = JUDGE.judge(WORLD.draw(ToyColour.BLUE, List.of(big.withExtent(16), big.withExtent(16).at(44, 32))),
                parse("a small red circle"));
        assertThat(equal.passed()).isFalse();
    }

    @Test
    void rejectsABlobBesideACorrectShape() {
        Scene scene = new Scene(ToyColour.BLUE, List.of(new ShapeSpec(ShapeKind.SQUARE, ShapeSize.SMALL, ToyColour.RED,
                20, 32)), Optional.empty());
        RgbImage clean = WORLD.render(scene);
        Spec spec = parse("a small red square on the left on a blue background");
        assertThat(JUDGE.judge(clean, spec).passed()).isTrue();
        for (ToyColour blob : List.of(ToyColour.RED, ToyColour.YELLOW)) {
            RgbImage withBlob = rectangle(clean, 44, 28, 9, 6, blob); // 54 px, 1.3 % of the picture
            Verdict v = JUDGE.judge(withBlob, spec);
            assertThat(v.passed()).as(blob.word()).isFalse();
            assertThat(String.join("\n", v.reasons())).contains("extra region: " + blob.word() + " region of 54 px");
        }
        // Speckle under 1 % of the picture is not a region of its own.
        assertThat(JUDGE.judge(rectangle(clean, 44, 28, 5, 5, ToyColour.YELLOW), spec).passed()).isTrue();
    }

    @Test
    void explainsEachAskedAttributeInWords() {
        Scene scene = new Scene(ToyColour.BLUE, List.of(new ShapeSpec(ShapeKind.CIRCLE, ShapeSize.BIG, ToyColour.RED,
                32, 32)), Optional.empty());
        RgbImage img = WORLD.render(scene);
        Verdict ok = JUDGE.judge(img, parse("a big red circle in the centre on a blue background"));
        assertThat(ok.passed()).isTrue();
        assertThat(ok.checks()).extracting(Verdict.Check::attribute).containsExactly("background", "shape 1",
                "shape 1 edge", "shape 1 kind", "shape 1 size", "shape 1 position", "one region per shape");
        Verdict wrong = JUDGE.judge(img, parse("a small red square"));
        assertThat(wrong.passed()).isFalse();
        assertThat(wrong.coloursRight()).isTrue();
        assertThat(String.join("\n", wrong.reasons())).contains("looks like a circle, not a square (IoU circle",
                "is big, not small");
        Verdict missing = JUDGE.judge(img, parse("a green circle"));
        assertThat(missing.coloursRight()).isFalse();
        assertThat(missing.reasons()).anyMatch(r -> r.contains("no green shape (asked: green circle)"));
        Verdict background = JUDGE.judge(img, parse("a red circle on a yellow background"));
        assertThat(background.coloursRight()).isFalse();
        assertThat(background.reasons()).anyMatch(r -> r.contains("looks blue, not yellow"));
    }

    @Test
    void withoutAKindAskedTheRegionMustStillBeAShapeOfTheWorld() {
        RgbImage l = rectangle(rectangle(RgbImage.filled(SIDE, SIDE, 0.16f, 0.31f, 0.86f), 20, 20, 24, 6,
                ToyColour.RED), 20, 20, 6, 24, ToyColour.RED); // an L
        Verdict v = JUDGE.judge(l, parse("a red shape"));
        assertThat(v.passed()).as(v.reasons().toString()).isFalse();
        assertThat(v.reasons()).anyMatch(r -> r.contains("no known shape"));
    }

    @Test
    void judgesAPictureUpscaledTwiceLikeTheOriginal() {
        int passed = 0;
        List<Sample> some = samples.subList(0, 100);
        for (Sample s : some) {
            if (JUDGE.judge(PixelArt.upscale(s.image(), 2), parse(s.caption())).passed()) {
                passed++;
            }
        }
        assertThat(passed).isEqualTo(some.size());
    }

    @Test
    void aFlatPictureHasNoShapes() {
        RgbImage flat = RgbImage.filled(SIDE, SIDE, 0.5f, 0.5f, 0.5f);
        assertThat(JUDGE.analyse(flat).regions()).isEmpty();
        Verdict v = JUDGE.judge(flat, parse("a circle"));
        assertThat(v.passed()).isFalse();
        assertThat(v.reasons()).first().asString().contains("no shape");
    }

    // --- controls ---

    /** A mask generator: {@code true} where the colour goes. */
    private interface Masks {
        boolean[] next(Random random);
    }

    /** The scene's background with one random mask per shape, painted in the shapes' colours. */
    private static RgbImage paint(Scene scene, Random random, Masks masks) {
        RgbImage out = RgbImage.filled(SIDE, SIDE, 0, 0, 0);
        float[] d = out.data();
        fill(d, null, scene.background());
        for (ShapeSpec s : scene.shapes()) {
            fill(d, masks.next(random), s.colour());
        }
        return new RgbImage(SIDE, SIDE, d);
    }

    private static void fill(float[] d, boolean[] mask, ToyColour colour) {
        int plane = SIDE * SIDE;
        int rgb = colour.rgb();
        for (int p = 0; p < plane; p++) {
            if (mask == null || mask[p]) {
                d[p] = ((rgb >> 16) & 0xFF) / 255f;
                d[plane + p] = ((rgb >> 8) & 0xFF) / 255f;
                d[2 * plane + p] = (rgb & 0xFF) / 255f;
            }
        }
    }

    /** 4×4 uniform noise, bicubic-upsampled to the picture, thresholded to cover 3-30 % of it. */
    static boolean[] smoothBlob(Random random) {
        double[] noise = new double[16];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = random.nextDouble();
        }
        double[] up = new double[SIDE * SIDE];
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                up[y * SIDE + x] = bicubic(noise, 4, (x + 0.5) * 4 / SIDE - 0.5, (y + 0.5) * 4 / SIDE - 0.5);
            }
        }
        double coverage = 0.03 + 0.27 * random.nextDouble();
        double[] sorted = up.clone();
        java.util.Arrays.sort(sorted);
        double threshold = sorted[(int) Math.round((1 - coverage) * (sorted.length - 1))];
        boolean[] mask = new boolean[up.length];
        for (int p = 0; p < up.length; p++) {
            mask[p] = up[p] >= threshold;
        }
        return mask;
    }

    /** 8, 16 or 32 cells a side, each on with one probability drawn from 5-50 %. */
    static boolean[] cellMask(Random random) {
        int cells = new int[] {8, 16, 32}[random.nextInt(3)];
        double fill = 0.05 + 0.45 * random.nextDouble();
        boolean[] on = new boolean[cells * cells];
        for (int i = 0; i < on.length; i++) {
            on[i] = random.nextDouble() < fill;
        }
        boolean[] mask = new boolean[SIDE * SIDE];
        int cell = SIDE / cells;
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                mask[y * SIDE + x] = on[(y / cell) * cells + x / cell];
            }
        }
        return mask;
    }

    /** PyTorch's bicubic interpolation (a = -0.75, borders replicated) of an n×n grid at (x, y). */
    private static double bicubic(double[] grid, int n, double x, double y) {
        int ix = (int) Math.floor(x);
        int iy = (int) Math.floor(y);
        double[] wx = cubicWeights(x - ix);
        double[] wy = cubicWeights(y - iy);
        double sum = 0;
        for (int j = 0; j < 4; j++) {
            int gy = Math.min(n - 1, Math.max(0, iy - 1 + j));
            for (int i = 0; i < 4; i++) {
                int gx = Math.min(n - 1, Math.max(0, ix - 1 + i));
                sum += wy[j] * wx[i] * grid[gy * n + gx];
            }
        }
        return sum;
    }

    private static double[] cubicWeights(double t) {
        double a = -0.75;
        double[] w = new double[4];
        double[] d = {1 + t, t, 1 - t, 2 - t};
        for (int k = 0; k < 4; k++) {
            double x = d[k];
            w[k] = x <= 1 ? ((a + 2) * x - (a + 3)) * x * x + 1 : ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
        }
        return w;
    }

    private static RgbImage rectangle(RgbImage img, int x0, int y0, int w, int h, ToyColour colour) {
        float[] d = img.data();
        int plane = img.width() * img.height();
        int rgb = colour.rgb();
        for (int y = y0; y < y0 + h; y++) {
            for (int x = x0; x < x0 + w; x++) {
                int p = y * img.width() + x;
                d[p] = ((rgb >> 16) & 0xFF) / 255f;
                d[plane + p] = ((rgb >> 8) & 0xFF) / 255f;
                d[2 * plane + p] = (rgb & 0xFF) / 255f;
            }
        }
        return new RgbImage(img.width(), img.height(), d);
    }
}
