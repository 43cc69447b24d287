package dev.dreamoven.lab.toyworld;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dreamoven.image.PixelArt;
import dev.dreamoven.image.RgbImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ToyJudgeTest {

    private static final ToyWorld WORLD = new ToyWorld();
    private static final ToyJudge JUDGE = new ToyJudge();
    private static List<Sample> samples;

    @BeforeAll
    static void generate() {
        samples = WORLD.samples(2024, 500);
    }

    @Test
    void acceptsAtLeast98PercentOfGroundTruthCaptions() {
        int passed = 0;
        List<String> failures = new ArrayList<>();
        for (Sample s : samples) {
            Spec spec = ToyPrompt.parse(s.caption()).orElseThrow(() -> new AssertionError("unparsed: " + s.caption()));
            Verdict v = JUDGE.judge(s.image(), spec);
            if (v.passed()) {
                passed++;
            } else {
                failures.add(s.caption() + " -> " + v.reasons());
            }
        }
        System.out.printf("judge accepts %d/%d ground-truth captions%n", passed, samples.size());
        failures.stream().limit(10).forEach(System.out::println);
        assertThat(passed).isGreaterThanOrEqualTo(490);
    }

    @Test
    void acceptsTheFullTruthOfEveryScene() {
        int passed = 0;
        for (Sample s : samples) {
            if (JUDGE.judge(s.image(), Spec.of(s.scene(), ToyWorld.SIDE, ToyWorld.SIDE)).passed()) {
                passed++;
            }
        }
        System.out.printf("judge accepts %d/%d full scene specs%n", passed, samples.size());
        assertThat(passed).isGreaterThanOrEqualTo(490);
    }

    @Test
    void rejectsAnotherColour() {
        assertRejects("colour", (spec, r) -> {
            ShapeQuery q = spec.shapes().get(0);
            ToyColour actual = q.colour().orElseThrow();
            ToyColour other;
            do {
                other = ToyColour.values()[r.nextInt(ToyColour.values().length)];
            } while (other == actual);
            return replaceFirst(spec, new ShapeQuery(Optional.of(other), q.kind(), q.size(), q.position()));
        });
    }

    @Test
    void rejectsAnotherShape() {
        assertRejects("kind", (spec, r) -> {
            ShapeQuery q = spec.shapes().get(0);
            ShapeKind actual = q.kind().orElseThrow();
            ShapeKind other;
            do {
                other = ShapeKind.values()[r.nextInt(ShapeKind.values().length)];
            } while (other == actual);
            return replaceFirst(spec, new ShapeQuery(q.colour(), Optional.of(other), q.size(), q.position()));
        });
    }

    @Test
    void rejectsAnotherSize() {
        assertRejects("size", (spec, r) -> {
            ShapeQuery q = spec.shapes().get(0);
            ShapeSize other = q.size().orElseThrow() == ShapeSize.BIG ? ShapeSize.SMALL : ShapeSize.BIG;
            return replaceFirst(spec, new ShapeQuery(q.colour(), q.kind(), Optional.of(other), q.position()));
        });
    }

    @Test
    void rejectsAnotherBackground() {
        assertRejects("background", (spec, r) -> {
            ToyColour actual = spec.background().orElseThrow();
            ToyColour other;
            do {
                other = ToyColour.values()[r.nextInt(ToyColour.values().length)];
            } while (other == actual);
            return new Spec(Optional.of(other), spec.shapes(), spec.relation());
        });
    }

    @Test
    void rejectsAnotherPositionOrRelation() {
        assertRejects("position/relation", (spec, r) -> {
            if (spec.relation().isPresent()) {
                Relation actual = spec.relation().get();
                Relation other;
                do {
                    other = Relation.values()[r.nextInt(Relation.values().length)];
                } while (other == actual);
                return new Spec(spec.background(), spec.shapes(), Optional.of(other));
            }
            ShapeQuery q = spec.shapes().get(0);
            Position actual = q.position().orElseThrow();
            Position other;
            do {
                other = Position.values()[r.nextInt(Position.values().length)];
            } while (other == actual);
            return replaceFirst(spec, new ShapeQuery(q.colour(), q.kind(), q.size(), Optional.of(other)));
        });
    }

    @Test
    void ignoresSpeckleNoise() {
        Random r = new Random(3);
        int passed = 0;
        List<Sample> some = samples.subList(0, 100);
        for (Sample s : some) {
            RgbImage noisy = noisy(s.image(), r, 0.08f, 0.05);
            if (JUDGE.judge(noisy, ToyPrompt.parse(s.caption()).orElseThrow()).passed()) {
                passed++;
            }
        }
        System.out.printf("judge accepts %d/%d noisy ground-truth pictures%n", passed, some.size());
        assertThat(passed).isGreaterThanOrEqualTo(95);
    }

    @Test
    void judgesOtherPictureSizesByProportion() {
        int passedBig = 0;
        int passedHalf = 0;
        List<Sample> some = samples.subList(0, 100);
        for (Sample s : some) {
            Spec spec = ToyPrompt.parse(s.caption()).orElseThrow();
            if (JUDGE.judge(PixelArt.upscale(s.image(), 2), spec).passed()) {
                passedBig++;
            }
            Verdict half = JUDGE.judge(halve(s.image()), spec);
            if (half.passed()) {
                passedHalf++;
            } else {
                System.out.println("32px: " + s.caption() + " " + half.reasons());
            }
        }
        System.out.printf("judge accepts %d/100 at 128 px, %d/100 at 32 px%n", passedBig, passedHalf);
        assertThat(passedBig).isGreaterThanOrEqualTo(98);
        assertThat(passedHalf).isGreaterThanOrEqualTo(95);
    }

    @Test
    void seesNothingAskedInNoise() {
        Random r = new Random(17);
        int accepted = 0;
        int judged = 0;
        for (int i = 0; i < 40; i++) {
            RgbImage noise = i % 2 == 0 ? noisy(RgbImage.filled(64, 64, 0.5f, 0.5f, 0.5f), r, 0.3f, 0.2)
                    : blocky(r, 8);
            for (String prompt : ToyPromptSet.all()) {
                judged++;
                if (JUDGE.judge(noise, ToyPrompt.parse(prompt).orElseThrow()).passed()) {
                    accepted++;
                }
            }
        }
        System.out.printf("judge accepts %d/%d noise pictures against the prompt set%n", accepted, judged);
        assertThat(accepted).isLessThanOrEqualTo(judged / 100);
    }

    @Test
    void explainsEachAskedAttribute() {
        Scene scene = new Scene(ToyColour.BLUE, List.of(new ShapeSpec(ShapeKind.CIRCLE, ShapeSize.BIG, ToyColour.RED,
                32, 32)), Optional.empty());
        RgbImage img = WORLD.render(scene);
        Verdict ok = JUDGE.judge(img, ToyPrompt.parse("a big red circle in the centre on a blue background").orElseThrow());
        assertThat(ok.passed()).isTrue();
        assertThat(ok.checks()).extracting(Verdict.Check::attribute)
                .containsExactly("background", "shape 1", "shape 1 kind", "shape 1 size", "shape 1 position");
        Verdict wrong = JUDGE.judge(img, ToyPrompt.parse("a small red square").orElseThrow());
        assertThat(wrong.passed()).isFalse();
        assertThat(wrong.score()).isEqualTo(1 / 3.0);
        assertThat(String.join("\n", wrong.reasons())).contains("looks like a circle, not a square", "is big, not small");
        Verdict missing = JUDGE.judge(img, ToyPrompt.parse("a green circle").orElseThrow());
        assertThat(missing.reasons()).first().asString().contains("no green circle found");
    }

    @Test
    void aFlatPictureHasNoShapes() {
        RgbImage flat = RgbImage.filled(64, 64, 0.5f, 0.5f, 0.5f);
        assertThat(JUDGE.analyse(flat).components()).isEmpty();
        assertThat(JUDGE.judge(flat, ToyPrompt.parse("a circle").orElseThrow()).passed()).isFalse();
    }

    /** Random colours in blocks of {@code block} px: blobs of many sizes, none of them a toy shape. */
    private static RgbImage blocky(Random r, int block) {
        float[] d = new float[3 * 64 * 64];
        float[][] colours = new float[64 / block * 64 / block][3];
        for (float[] c : colours) {
            for (int k = 0; k < 3; k++) {
                c[k] = r.nextFloat();
            }
        }
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 64; y++) {
                for (int x = 0; x < 64; x++) {
                    d[(c * 64 + y) * 64 + x] = colours[(y / block) * (64 / block) + x / block][c];
                }
            }
        }
        return new RgbImage(64, 64, d);
    }

    private static RgbImage halve(RgbImage img) {
        int w = img.width() / 2;
        int h = img.height() / 2;
        float[] d = new float[3 * w * h];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    d[(c * h + y) * w + x] = img.get(c, 2 * x, 2 * y);
                }
            }
        }
        return new RgbImage(w, h, d);
    }

    private static RgbImage noisy(RgbImage img, Random r, float amplitude, double speckle) {
        float[] d = img.data();
        int plane = img.width() * img.height();
        for (int i = 0; i < d.length; i++) {
            d[i] = Math.max(0, Math.min(1, d[i] + (float) r.nextGaussian() * amplitude));
        }
        for (int p = 0; p < plane; p++) {
            if (r.nextDouble() < speckle) {
                for (int c = 0; c < 3; c++) {
                    d[c * plane + p] = r.nextFloat();
                }
            }
        }
        return new RgbImage(img.width(), img.height(), d);
    }

    private static Spec replaceFirst(Spec spec, ShapeQuery q) {
        List<ShapeQuery> shapes = new ArrayList<>(spec.shapes());
        shapes.set(0, q);
        return new Spec(spec.background(), shapes, spec.relation());
    }

    private static void assertRejects(String what, BiFunction<Spec, Random, Spec> mutate) {
        Random r = new Random(what.hashCode());
        int rejected = 0;
        for (Sample s : samples) {
            Spec truth = Spec.of(s.scene(), ToyWorld.SIDE, ToyWorld.SIDE);
            if (!JUDGE.judge(s.image(), mutate.apply(truth, r)).passed()) {
                rejected++;
            }
        }
        System.out.printf("judge rejects %d/%d pictures against a different %s%n", rejected, samples.size(), what);
        assertThat(rejected).isGreaterThanOrEqualTo(475);
    }
}
