package dev.dreamoven.bake;

import dev.dreamoven.dream.GuidePlan;
import dev.dreamoven.dream.GuideStage;
import dev.dreamoven.dream.GuideTarget;
import dev.dreamoven.dream.PromptTargets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns stage target vectors into a {@link GuidePlan}: stage k optimizes toward vector k for its
 * share of the steps, with the optimizer state reset at every stage, as the original microwave.py
 * did (seed 001). Negative prompts repel in every stage.
 */
public final class MicrowavePlans {

    private MicrowavePlans() {
    }

    /**
     * @param label shown in logs and win counts (the prompt)
     * @param stages {@code [K, D]} targets, one per stage
     * @param totalSteps spread over the stages; the first {@code totalSteps % K} stages get one more
     * @param negatives {@code [D]} embeddings to steer away from, each with weight {@code -negativeWeight}
     */
    public static GuidePlan replay(String label, float[][] stages, int totalSteps, List<float[]> negatives,
            double negativeWeight) {
        int k = stages.length;
        if (k < 1) {
            throw new IllegalArgumentException("a baked path needs at least one stage");
        }
        if (totalSteps < k) {
            throw new IllegalArgumentException(totalSteps + " steps cannot cover " + k + " stages");
        }
        List<GuideStage> plan = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            int steps = totalSteps / k + (i < totalSteps % k ? 1 : 0);
            plan.add(new GuideStage(steps, PromptTargets.of(label, stages[i], List.of(), negatives, negativeWeight)));
        }
        return new GuidePlan(plan, true);
    }

    /** The normal dream's plan: one stage toward the prompt, negatives repelling. */
    public static GuidePlan direct(String label, float[] prompt, int totalSteps, List<float[]> negatives,
            double negativeWeight) {
        return GuidePlan.single(PromptTargets.of(label, prompt, List.of(), negatives, negativeWeight), totalSteps);
    }

    /** The same plan with {@code extra} targets active in every stage (their start/end still apply). */
    public static GuidePlan withExtraTargets(GuidePlan plan, List<GuideTarget> extra) {
        List<GuideStage> stages = new ArrayList<>();
        for (GuideStage s : plan.stages()) {
            List<GuideTarget> targets = new ArrayList<>(s.targets());
            targets.addAll(extra);
            stages.add(new GuideStage(s.steps(), targets));
        }
        return new GuidePlan(stages, plan.resetOptimizerEachStage(), plan.subject());
    }
}
