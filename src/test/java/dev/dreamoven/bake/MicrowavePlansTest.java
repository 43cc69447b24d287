package dev.dreamoven.bake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dreamoven.dream.GuidePlan;
import dev.dreamoven.dream.GuideStage;
import java.util.List;
import org.junit.jupiter.api.Test;

class MicrowavePlansTest {

    @Test
    void eachStageChasesItsVectorForItsShareOfTheStepsWithTheOptimizerReset() {
        float[][] stages = {{1, 0}, {0, 1}, {1, 1}};
        GuidePlan plan = MicrowavePlans.replay("p", stages, 10, List.of(new float[] {-1, 0}), 0.5);

        assertThat(plan.resetOptimizerEachStage()).isTrue();
        assertThat(plan.stages()).extracting(GuideStage::steps).containsExactly(4, 3, 3);
        assertThat(plan.totalSteps()).isEqualTo(10);
        assertThat(plan.stages().get(1).targets().get(0).features().get(0).embedding()).containsExactly(0, 1);
        assertThat(plan.stages().get(2).targets().get(0).features().get(1).weight()).isEqualTo(-0.5);
    }

    @Test
    void theDirectPlanIsOneStageTowardThePrompt() {
        GuidePlan plan = MicrowavePlans.direct("p", new float[] {0, 2}, 7, List.of(), 1);
        assertThat(plan.stages()).hasSize(1);
        assertThat(plan.totalSteps()).isEqualTo(7);
        assertThat(plan.resetOptimizerEachStage()).isFalse();
    }
}
