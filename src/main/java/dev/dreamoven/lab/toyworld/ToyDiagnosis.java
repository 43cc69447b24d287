package dev.dreamoven.lab.toyworld;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.dreamoven.clip.ClipImages;
import dev.dreamoven.clip.LoadedClip;
import dev.dreamoven.image.RgbImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Can a guide lead a dream to the truth? For true renders of single-shape prompts, the guide's
 * similarity of the truth against near-misses (each other kind in the same place, a smaller second
 * copy elsewhere, a size between the world's two, shifted by 5 px, cut by the edge), and whether
 * the guide's pixel gradient at a near-miss points toward the truth: the cosine between
 * d similarity / d pixels there and (truth − near-miss).
 */
public final class ToyDiagnosis {

    /** Extent of the in-between size, between the world's 16 and 32 px. */
    public static final double BETWEEN_EXTENT = 24;
    /** Shift of the shifted near-misses, in pixels. */
    public static final double SHIFT = 5;
    /** Seed of the true scenes. */
    public static final long SEED = ToyClipEvaluation.HELD_OUT_SEED + 5;

    /** The kinds of near-miss. */
    public enum Type {
        OTHER_KIND("other kind"), TWO_COPIES("two copies"), BETWEEN_SIZES("24 px size"), SHIFTED("shifted 5 px"),
        CUT("cut by the edge");

        private final String label;

        Type(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** A picture just off the truth. */
    public record NearMiss(Type type, String what, RgbImage picture) {
    }

    /**
     * One true render against its near-misses.
     *
     * @param truth the guide's cosine of the true render to the prompt
     * @param similarity the guide's cosine of each near-miss to the prompt
     * @param gradientCosine per near-miss, cos(d similarity / d pixels there, truth − near-miss)
     * @param judgedRight per near-miss, whether the strict judge accepts it for the prompt (a shift
     *     often still shows the prompt)
     */
    public record Case(String prompt, List<NearMiss> nearMisses, double truth, double[] similarity,
            double[] gradientCosine, boolean[] judgedRight) {

        /** 1 + the near-misses the guide scores above the truth. */
        public int rank() {
            int rank = 1;
            for (double s : similarity) {
                rank += s > truth ? 1 : 0;
            }
            return rank;
        }

        /** 1 + the near-misses the judge rejects that the guide scores above the truth. */
        public int rankAmongWrong() {
            int rank = 1;
            for (int i = 0; i < similarity.length; i++) {
                rank += !judgedRight[i] && similarity[i] > truth ? 1 : 0;
            }
            return rank;
        }

        /** How many near-misses the judge rejects. */
        public int wrong() {
            int wrong = 0;
            for (boolean right : judgedRight) {
                wrong += right ? 0 : 1;
            }
            return wrong;
        }

        /** Truth minus the best near-miss. */
        public double margin() {
            double best = Double.NEGATIVE_INFINITY;
            for (double s : similarity) {
                best = Math.max(best, s);
            }
            return truth - best;
        }
    }

    private ToyDiagnosis() {
    }

    /** The near-misses of a one-shape scene, in {@link Type} order (two copies left out when no copy fits). */
    public static List<NearMiss> nearMisses(ToyWorld world, Scene scene) {
        if (scene.shapes().size() != 1) {
            throw new IllegalArgumentException("near-misses are of one-shape scenes");
        }
        Figure f = Figure.of(scene.shapes().get(0));
        ToyColour bg = scene.background();
        List<NearMiss> out = new ArrayList<>();
        for (ShapeKind kind : ShapeKind.values()) {
            if (kind != f.kind()) {
                out.add(new NearMiss(Type.OTHER_KIND, kind.word(), world.draw(bg, List.of(f.withKind(kind)))));
            }
        }
        copyBeside(f).ifPresent(copy -> out.add(new NearMiss(Type.TWO_COPIES,
                String.format(Locale.ROOT, "copy of %.0f px", copy.extent()), world.draw(bg, List.of(f, copy)))));
        out.add(new NearMiss(Type.BETWEEN_SIZES, "24 px", world.draw(bg, List.of(f.withExtent(BETWEEN_EXTENT)))));
        double[][] shifts = {{-SHIFT, 0}, {SHIFT, 0}, {0, -SHIFT}, {0, SHIFT}};
        String[] names = {"left", "right", "up", "down"};
        for (int i = 0; i < shifts.length; i++) {
            out.add(new NearMiss(Type.SHIFTED, names[i], world.draw(bg,
                    List.of(f.at(f.centreX() + shifts[i][0], f.centreY() + shifts[i][1])))));
        }
        out.add(new NearMiss(Type.CUT, "a third outside", world.draw(bg, List.of(cut(f)))));
        return out;
    }

    /** The figure moved toward the border of its position (the left one from the centre) until a third is outside. */
    static Figure cut(Figure f) {
        double inside = f.extent() / 6; // the centre a sixth of the extent inside: a third of the shape out
        return switch (Position.of(f.centreX(), f.centreY(), ToyWorld.SIDE, ToyWorld.SIDE)) {
            case LEFT, CENTRE -> f.at(inside, f.centreY());
            case RIGHT -> f.at(ToyWorld.SIDE - inside, f.centreY());
            case TOP -> f.at(f.centreX(), inside);
            case BOTTOM -> f.at(f.centreX(), ToyWorld.SIDE - inside);
        };
    }

    /**
     * The largest copy from 0.6 of the extent down to 8 px that fits 3 px clear of the figure and
     * of the border; the place farthest from the figure.
     */
    static Optional<Figure> copyBeside(Figure f) {
        int gap = 3;
        for (long e = Math.round(0.6 * f.extent()); e >= 8; e--) {
            Figure best = null;
            double bestDistance = -1;
            for (double cy = gap + e / 2.0; cy <= ToyWorld.SIDE - gap - e / 2.0; cy++) {
                for (double cx = gap + e / 2.0; cx <= ToyWorld.SIDE - gap - e / 2.0; cx++) {
                    boolean apartX = cx + e / 2.0 + gap <= f.centreX() - f.extent() / 2
                            || cx - e / 2.0 - gap >= f.centreX() + f.extent() / 2;
                    boolean apartY = cy + e / 2.0 + gap <= f.centreY() - f.extent() / 2
                            || cy - e / 2.0 - gap >= f.centreY() + f.extent() / 2;
                    double distance = Math.hypot(cx - f.centreX(), cy - f.centreY());
                    if ((apartX || apartY) && distance > bestDistance) {
                        best = new Figure(f.kind(), f.colour(), cx, cy, e);
                        bestDistance = distance;
                    }
                }
            }
            if (best != null) {
                return Optional.of(best);
            }
        }
        return Optional.empty();
    }

    /** {@code renders} true renders of each one-shape prompt against their near-misses, under the guide. */
    public static List<Case> run(LoadedClip guide, List<String> prompts, int renders, NDManager manager) {
        if (guide.model().imageResolution() != ToyWorld.SIDE) {
            throw new dev.dreamoven.common.InvalidInputException("diagnose needs a model of the toy world's "
                    + ToyWorld.SIDE + " px pictures, not " + guide.model().imageResolution() + " px");
        }
        ToyWorld world = new ToyWorld();
        ToyJudge judge = new ToyJudge();
        Random random = new Random(SEED);
        List<Case> out = new ArrayList<>();
        for (String prompt : prompts) {
            Spec spec = ToyPrompt.parse(prompt).filter(s -> s.shapes().size() == 1).orElseThrow(() ->
                    new dev.dreamoven.common.InvalidInputException("'" + prompt + "' is not a one-shape toy prompt"));
            float[] text = guide.embedTexts(List.of(prompt))[0];
            for (int r = 0; r < renders; r++) {
                Scene scene = world.sceneFor(spec, random).orElseThrow(() ->
                        new dev.dreamoven.common.InvalidInputException("the toy world cannot show '" + prompt + "'"));
                RgbImage truth = world.render(scene);
                List<NearMiss> misses = nearMisses(world, scene);
                List<RgbImage> pictures = new ArrayList<>(List.of(truth));
                misses.forEach(m -> pictures.add(m.picture()));
                double[][] simAndGrad = similarityAndGradientCosine(guide, pictures, text, manager);
                double[] similarity = java.util.Arrays.copyOfRange(simAndGrad[0], 1, pictures.size());
                double[] gradient = java.util.Arrays.copyOfRange(simAndGrad[1], 1, pictures.size());
                boolean[] right = new boolean[misses.size()];
                for (int i = 0; i < right.length; i++) {
                    right[i] = judge.judge(misses.get(i).picture(), spec).passed();
                }
                out.add(new Case(prompt, misses, simAndGrad[0][0], similarity, gradient, right));
            }
        }
        return out;
    }

    /**
     * For each picture, the guide's cosine to {@code text} and the cosine between its pixel gradient
     * and (pictures[0] − picture); row 1 is NaN for pictures[0] itself.
     */
    private static double[][] similarityAndGradientCosine(LoadedClip guide, List<RgbImage> pictures, float[] text,
            NDManager parent) {
        int n = pictures.size();
        try (NDManager scope = parent.newSubManager()) {
            NDArray x = ToyClipEvaluation.pixels(pictures, scope); // [n, 3, S, S]
            x.setRequiresGradient(true);
            NDArray t = ToyClipEvaluation.unit(scope.create(text).reshape(1, text.length)); // [1, D]
            float[] similarity;
            float[] gradient;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray embedded = ToyClipEvaluation.unit(guide.model().encodeImage(ClipImages.normalize(x))); // [n, D]
                NDArray cosine = embedded.matMul(t.transpose()); // [n, 1]
                collector.backward(cosine.sum());
                similarity = cosine.stopGradient().toFloatArray();
                gradient = x.getGradient().toFloatArray();
            }
            float[] pixels = x.stopGradient().toFloatArray();
            int size = pixels.length / n;
            double[][] out = new double[2][n];
            out[1][0] = Double.NaN;
            for (int i = 0; i < n; i++) {
                out[0][i] = similarity[i];
                if (i == 0) {
                    continue;
                }
                double gg = 0;
                double dd = 0;
                double gd = 0;
                for (int k = 0; k < size; k++) {
                    double g = gradient[i * size + k];
                    double d = pixels[k] - pixels[i * size + k];
                    gg += g * g;
                    dd += d * d;
                    gd += g * d;
                }
                out[1][i] = gd / Math.max(1e-30, Math.sqrt(gg * dd));
            }
            return out;
        }
    }

    /** Two compact tables: per prompt, and per type of near-miss; and a summary line. */
    public static String report(List<Case> cases) {
        StringBuilder b = new StringBuilder();
        b.append("| prompt | renders | rank of the truth | among the wrong ones | margin mean | margin min | beaten by |\n");
        b.append("|---|---:|---:|---:|---:|---:|---|\n");
        Map<String, List<Case>> byPrompt = new LinkedHashMap<>();
        cases.forEach(c -> byPrompt.computeIfAbsent(c.prompt(), p -> new ArrayList<>()).add(c));
        byPrompt.forEach((prompt, cs) -> {
            Map<String, int[]> beaten = new LinkedHashMap<>();
            for (Case c : cs) {
                for (int i = 0; i < c.nearMisses().size(); i++) {
                    int[] count = beaten.computeIfAbsent(c.nearMisses().get(i).type().label(), k -> new int[2]);
                    count[0] += c.similarity()[i] > c.truth() ? 1 : 0;
                    count[1]++;
                }
            }
            String by = String.join(", ", beaten.entrySet().stream().filter(e -> e.getValue()[0] > 0)
                    .map(e -> e.getKey() + " " + e.getValue()[0] + "/" + e.getValue()[1]).toList());
            b.append(String.format(Locale.ROOT, "| %s | %d | %.1f of %.0f | %.1f of %.1f | %+.3f | %+.3f | %s |%n", prompt,
                    cs.size(), cs.stream().mapToInt(Case::rank).average().orElse(0),
                    cs.stream().mapToInt(c -> c.nearMisses().size() + 1).average().orElse(0),
                    cs.stream().mapToInt(Case::rankAmongWrong).average().orElse(0),
                    cs.stream().mapToInt(c -> c.wrong() + 1).average().orElse(0),
                    cs.stream().mapToDouble(Case::margin).average().orElse(0),
                    cs.stream().mapToDouble(Case::margin).min().orElse(0), by.isEmpty() ? "-" : by));
        });
        b.append('\n');
        b.append("| near-miss | count | beats the truth | judged right | truth − it (mean) | gradient toward the truth (mean cosine) | gradient cosine > 0 |\n");
        b.append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (Type type : Type.values()) {
            int count = 0;
            int beats = 0;
            int right = 0;
            int positive = 0;
            double margin = 0;
            double gradient = 0;
            for (Case c : cases) {
                for (int i = 0; i < c.nearMisses().size(); i++) {
                    if (c.nearMisses().get(i).type() != type) {
                        continue;
                    }
                    count++;
                    beats += c.similarity()[i] > c.truth() ? 1 : 0;
                    right += c.judgedRight()[i] ? 1 : 0;
                    margin += c.truth() - c.similarity()[i];
                    gradient += c.gradientCosine()[i];
                    positive += c.gradientCosine()[i] > 0 ? 1 : 0;
                }
            }
            if (count > 0) {
                b.append(String.format(Locale.ROOT, "| %s | %d | %.1f%% | %.1f%% | %+.4f | %+.3f | %.1f%% |%n", type.label(),
                        count, 100.0 * beats / count, 100.0 * right / count, margin / count, gradient / count,
                        100.0 * positive / count));
            }
        }
        long first = cases.stream().filter(c -> c.rank() == 1).count();
        long firstOfWrong = cases.stream().filter(c -> c.rankAmongWrong() == 1).count();
        b.append(String.format(Locale.ROOT, "diagnose: the truth ranks first in %d of %d renders (%d among the "
                + "near-misses the judge rejects); mean margin %+.4f%n", first, cases.size(), firstOfWrong,
                cases.stream().mapToDouble(Case::margin).average().orElse(0)));
        return b.toString();
    }
}
