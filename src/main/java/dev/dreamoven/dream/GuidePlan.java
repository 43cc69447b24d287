package dev.dreamoven.dream;

import java.util.List;

/**
 * What to optimize toward, stage by stage. A normal dream is one stage; a microwave replay is K
 * stages (e.g. 10 × 25 steps, each toward one baked stage vector), usually with the optimizer state
 * reset at every stage as in the original scripts (seed 001).
 *
 * <p>Target times ({@link GuideTarget#start()}, {@link GuideTarget#end()}) are fractions of the
 * whole plan, not of a stage.
 */
public record GuidePlan(List<GuideStage> stages, boolean resetOptimizerEachStage, List<GuideTarget> subject) {

    /**
     * @param subject what the picture is of, in words (the prompt and its negatives), when the stages
     *     aim elsewhere (a microwave's baked stages are image embeddings of another drawing): a layered
     *     dream chooses its colours for it; empty: the stages' own targets
     */
    public GuidePlan {
        stages = List.copyOf(stages);
        subject = List.copyOf(subject);
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("a plan needs at least one stage");
        }
        int d = stages.get(0).targets().get(0).embedDim();
        for (GuideStage s : stages) {
            for (GuideTarget t : s.targets()) {
                if (t.embedDim() != d) {
                    throw new IllegalArgumentException("targets of one plan differ in embedding width");
                }
            }
        }
    }

    public GuidePlan(List<GuideStage> stages, boolean resetOptimizerEachStage) {
        this(stages, resetOptimizerEachStage, List.of());
    }

    /** The same plan with this {@link #subject}. */
    public GuidePlan withSubject(List<GuideTarget> newSubject) {
        return new GuidePlan(stages, resetOptimizerEachStage, newSubject);
    }

    public static GuidePlan single(List<GuideTarget> targets, int steps) {
        return new GuidePlan(List.of(new GuideStage(steps, targets)), false);
    }

    public int totalSteps() {
        return stages.stream().mapToInt(GuideStage::steps).sum();
    }

    public int embedDim() {
        return stages.get(0).targets().get(0).embedDim();
    }
}
