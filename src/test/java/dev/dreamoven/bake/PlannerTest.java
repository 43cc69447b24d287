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
        assertThat(plan.reason()).contains("matches exactly");
    }

    @Test
    void aCloseUnseenPromptBlendsTheTwoNearestPaths() {
        Planner.Plan plan = new Planner(store, 0.3).plan(Mode.AUTO, "toy", "a crimson circle", RED_ISH);
        assertThat(plan.kind()).isEqualTo(Planner.Kind.AUTO_MICROWAVE);
        assertThat(plan.sources()).extracting(BakedPath::prompt).containsExactly("a red circle", "a blue square");
        assertThat(plan.distances().get(0)).isCloseTo(0.0496, org.assertj.core.data.Offset.offset(1e-3));
        assertThat(plan.sourceDescription()).isEqualTo("from 'a red circle' and 'a blue square'");
    }

    @Test
    void aFarPromptIsDreamedNormallyAndTheReasonSaysHowFar() {
        Planner.Plan plan = new Planner(store, 0.3).plan(Mode.AUTO, "toy", "a green triangle", GREEN);
        assertThat(plan.kind()).isEqualTo(Planner.Kind.NORMAL);
        assertThat(plan.reason()).contains("too far").contains("1.234");
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
