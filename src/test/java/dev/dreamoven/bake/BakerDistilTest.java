package dev.dreamoven.bake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class BakerDistilTest {

    /** Trajectory of 8 steps in 2-d turning from x to y: step t at angle t·π/14. */
    static float[][] turning() {
        float[][] t = new float[8][];
        for (int i = 0; i < 8; i++) {
            double a = i * Math.PI / 14;
            t[i] = new float[] {(float) (3 * Math.cos(a)), (float) (3 * Math.sin(a))};
        }
        return t;
    }

    @Test
    void eachStageIsTheUnitEmbeddingReachedAtTheEndOfItsSegment() {
        float[][] stages = Baker.distil(turning(), 4, new float[] {1, 0}, 0.0, 0.0);
        assertThat(stages).hasNumberOfRows(4);
        for (int k = 0; k < 4; k++) {
            double a = (2 * k + 1) * Math.PI / 14; // last step of segment k is step 2k+1
            assertThat(stages[k][0]).isCloseTo((float) Math.cos(a), within(1e-6f));
            assertThat(stages[k][1]).isCloseTo((float) Math.sin(a), within(1e-6f));
        }
    }

    @Test
    void aWindowAveragesTheSegmentsLastStepsAndBlendPullsTowardThePrompt() {
        float[][] averaged = Baker.distil(turning(), 2, new float[] {1, 0}, 0.0, 0.5);
        double a = (2.5) * Math.PI / 14; // mean direction of steps 2 and 3
        assertThat(averaged[0][1] / averaged[0][0]).isCloseTo((float) Math.tan(a), within(1e-5f));

        float[][] blended = Baker.distil(turning(), 2, new float[] {1, 0}, 1.0, 0.0);
        assertThat(blended[1]).containsExactly(1f, 0f);
    }
}
