package dev.dreamoven.bake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.dream.DreamRequest.Mode;
import dev.dreamoven.store.Database;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlannerTest {

    @TempDir
    Path dir;
    Database db;
    BakedPathStore store;

    // Unit vectors in 3-d: distances sph(x, y) = θ²/2.
    static final float[] RED = {1, 0, 0};
    static final float[] RED_ISH = {0.95f, 0.31f, 0}; // θ ≈ 0.315 → 0.050
    static final float[] BLUE = {0, 1, 0};
    static final float[] GREEN = {0, 0, 1};

    @BeforeEach
    void open() {
        db = Database.open(dir.resolve("d.db"));
        store = new BakedPathStore(db, dir.resolve("baked"));
        store.save(path("a red circle", RED), RED);
        store.save(path("a blue square", BLUE), BLUE);
    }

    @AfterEach
    void close() {
        db.close();
    }

    static BakedPath path(String prompt, float[] v) {
        return BakedPath.of(prompt, "toy", 64, new float[][] {v, v}, java.util.Map.of(), 0.5, "t",
                BakedPathsForTests.T0);
    }

    @Test
    void theExactBakedPromptIsMicrowaved() {
        Planner.Plan plan = new Planner(store, 0.3).plan(Mode.AUTO, "toy", "A  Red circle", RED);
        assertThat(plan.kind()).isEqualTo(Planner.Kind.MICROWAVE);
        assertThat(plan.sources()).extracting(BakedPath::prompt).containsExactly("a red circle");
        assertThat(plan.say(250)).isEqualTo("microwaving the baked path of 'a red circle' (this very prompt); 250 steps");
    }

    @Test
    void aCloseRefinementStartsFromTheBakedPathWithinTheBoundOnly() {
        Planner.Plan plan = new Planner(store, 0.3).plan(Mode.AUTO, "toy", "a big red circle", RED_ISH);
        assertThat(plan.kind()).isEqualTo(Planner.Kind.AUTO_MICROWAVE);
        // 'a blue square' lies at 0.78 (θ ≈ 1.25): past the bound, so not blended although second nearest.
        assertThat(plan.sources()).extracting(BakedPath::prompt).containsExactly("a red circle");
        assertThat(plan.distances().get(0)).isCloseTo(0.0496, org.assertj.core.data.Offset.offset(1e-3));
        assertThat(plan.say(250)).isEqualTo("starting from the baked path of 'a red circle' (very close); 250 steps");
    }

    @Test
    void twoCloseAgreeingPathsAreBlendedAndSaidInPlainWords() {
        store.save(path("a red circle on the left", RED_ISH), RED_ISH);
        Planner.Plan plan = new Planner(store, 0.06).plan(Mode.AUTO, "toy", "a big red circle on the left", RED);
        assertThat(plan.sources()).extracting(BakedPath::prompt)
                .containsExactly("a red circle", "a red circle on the left");
        assertThat(plan.sourceDescription()).isEqualTo("from 'a red circle' and 'a red circle on the left'");
        assertThat(plan.reason()).isEqualTo("starting from the baked paths of 'a red circle' (very close) "
                + "and 'a red circle on the left' (close)");
    }

    @Test
    void aCloseBakedPromptThatSaysSomethingElseIsNeverUsed() {
        Planner.Plan plan = new Planner(store, 0.3).plan(Mode.AUTO, "toy", "a red square", RED_ISH);
        assertThat(plan.kind()).isEqualTo(Planner.Kind.NORMAL);
        assertThat(plan.sources()).isEmpty();
        assertThat(plan.say(60)).isEqualTo(
                "the closest baked prompt, 'a red circle', asks for something else: dreaming from scratch; 60 steps");
    }

    @Test
    void aFarPromptIsDreamedFromScratchAndTheUserIsToldWhyWithoutJargon() {
        Planner.Plan plan = new Planner(store, 0.3).plan(Mode.AUTO, "toy", "a green triangle", GREEN);
        assertThat(plan.kind()).isEqualTo(Planner.Kind.NORMAL);
        assertThat(plan.say(250)).isEqualTo("no baked path close enough: dreaming from scratch; 250 steps");
    }

    @Test
    void noBlendedPathIsEverBeyondTheBound() {
        // A property over random embeddings and bounds: 40 paths in 3-d, 400 prompts. Every baked prompt
        // agrees with every asked one ("a x x", "a x x x x …"), so only the bound can keep a path out.
        java.util.Random random = new java.util.Random(17);
        for (int i = 0; i < 40; i++) {
            float[] v = randomVector(random);
            store.save(path("a" + " x".repeat(i + 1), v), v);
        }
        int blended = 0;
        for (int trial = 0; trial < 400; trial++) {
            double bound = random.nextDouble() * 0.8;
            float[] query = randomVector(random);
            Planner.Plan plan = new Planner(store, bound).plan(Mode.AUTO, "toy", "a" + " x".repeat(50), query);
            assertThat(plan.sources()).hasSizeLessThanOrEqualTo(2).hasSameSizeAs(plan.distances());
            blended += plan.sources().size();
            for (BakedPath source : plan.sources()) {
                double distance = PathBlending.sphericalDistance(store.embedding(source.id()).orElseThrow(), query);
                assertThat(distance).as("distance of '%s' (bound %.3f)", source.prompt(), bound).isLessThanOrEqualTo(bound);
            }
        }
        assertThat(blended).as("paths blended in all").isGreaterThan(200);
    }

    private static float[] randomVector(java.util.Random random) {
        float[] v = new float[3];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    @Test
    void pathsOfAnotherModelNeverServe() {
        Planner.Plan plan = new Planner(store, 10).plan(Mode.AUTO, "ViT-B-32", "a red circle", RED);
        assertThat(plan.kind()).isEqualTo(Planner.Kind.NORMAL);
    }

    @Test
    void normalModeIgnoresBakedPathsAndMicrowaveModeNeedsAnExactOne() {
        Planner planner = new Planner(store, 0.3);
        assertThat(planner.plan(Mode.NORMAL, "toy", "a red circle", RED).kind()).isEqualTo(Planner.Kind.NORMAL);
        assertThatThrownBy(() -> planner.plan(Mode.MICROWAVE, "toy", "a crimson circle", RED_ISH))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("has not been baked");
    }
}
