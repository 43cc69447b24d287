package dev.dreamoven.lab.toyworld;

import ai.djl.ndarray.NDManager;
import dev.dreamoven.clip.LoadedClip;
import dev.dreamoven.dream.PictureSimilarity;
import dev.dreamoven.image.RgbImage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * True renders against dreams, under one model: for each prompt, the mean cosine of true renders
 * of it ({@link ToyClipEvaluation#trueRenderSimilarities}) against the cosine of its dreams. A guide
 * that scores the dreams the judge rejects as high as the truth is fooled by them: optimizing
 * against it cannot find the truth. The gate holds when, in every group, the rejected dreams score
 * below the true renders of their prompts.
 */
public final class DreamGate {

    /** A finished dream: its output, and whether the strict judge accepted it. */
    public record Dream(String group, String prompt, RgbImage picture, boolean passed) {
    }

    /**
     * One group's figures; every mean is over dreams, the true renders' taken per dream's prompt.
     *
     * @param rightSimilarity mean cosine of the dreams the judge accepted (NaN when none)
     * @param wrongSimilarity mean cosine of the dreams the judge rejected (NaN when none)
     */
    public record Figures(String group, int dreams, int passed, double trueSimilarity, double dreamSimilarity,
            double rightSimilarity, double wrongSimilarity) {

        /** Rejected dreams score below the truth (or there are none). */
        public boolean holds() {
            return !(wrongSimilarity >= trueSimilarity);
        }
    }

    private DreamGate() {
    }

    /** The figures of each group, in the order met; {@code perPrompt} true renders of each prompt. */
    public static List<Figures> measure(LoadedClip clip, List<Dream> dreams, int perPrompt, NDManager manager) {
        List<String> prompts = dreams.stream().map(Dream::prompt).distinct().toList();
        double[] truths = ToyClipEvaluation.trueRenderSimilarities(clip.model(), clip.tokenizer(), new ToyWorld(),
                prompts, perPrompt, manager);
        Map<String, Double> truth = new HashMap<>();
        for (int i = 0; i < prompts.size(); i++) {
            truth.put(prompts.get(i), truths[i]);
        }
        PictureSimilarity similarity = new PictureSimilarity(clip.model());
        Map<String, float[]> texts = new HashMap<>();
        Map<String, List<double[]>> byGroup = new LinkedHashMap<>(); // {truth, dream, passed}
        for (Dream d : dreams) {
            double cos = similarity.cosine(d.picture(),
                    texts.computeIfAbsent(d.prompt(), p -> clip.embedTexts(List.of(p))[0]));
            byGroup.computeIfAbsent(d.group(), g -> new ArrayList<>())
                    .add(new double[] {truth.get(d.prompt()), cos, d.passed() ? 1 : 0});
        }
        List<Figures> out = new ArrayList<>();
        byGroup.forEach((group, rows) -> out.add(new Figures(group, rows.size(),
                (int) rows.stream().filter(r -> r[2] == 1).count(),
                rows.stream().mapToDouble(r -> r[0]).average().orElse(Double.NaN),
                rows.stream().mapToDouble(r -> r[1]).average().orElse(Double.NaN),
                rows.stream().filter(r -> r[2] == 1).mapToDouble(r -> r[1]).average().orElse(Double.NaN),
                rows.stream().filter(r -> r[2] == 0).mapToDouble(r -> r[1]).average().orElse(Double.NaN))));
        return out;
    }

    /** A compact table and the gate's line. */
    public static String report(List<Figures> figures) {
        StringBuilder b = new StringBuilder();
        b.append("| prompts | dreams | judged right | true renders | dreams | dreams judged right | dreams judged wrong |\n");
        b.append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (Figures f : figures) {
            b.append(String.format(Locale.ROOT, "| %s | %d | %d | %.3f | %.3f | %s | %s |%n", f.group(), f.dreams(),
                    f.passed(), f.trueSimilarity(), f.dreamSimilarity(), number(f.rightSimilarity()),
                    number(f.wrongSimilarity())));
        }
        boolean holds = figures.stream().allMatch(Figures::holds);
        b.append("gate (the dreams the judge rejects score below the true renders): ").append(holds ? "pass" : "fail");
        if (!holds) {
            b.append(" (").append(String.join(", ", figures.stream().filter(f -> !f.holds())
                    .map(f -> String.format(Locale.ROOT, "%s %.3f ≥ %.3f", f.group(), f.wrongSimilarity(),
                            f.trueSimilarity())).toList())).append(')');
        }
        return b.append('\n').toString();
    }

    private static String number(double x) {
        return Double.isNaN(x) ? "-" : String.format(Locale.ROOT, "%.3f", x);
    }
}
