package dev.dreamoven.lab.bench;

import dev.dreamoven.dream.DreamRequest;
import dev.dreamoven.dream.DreamSettings;
import dev.dreamoven.lab.eval.Evaluation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.ToDoubleFunction;
import java.util.function.UnaryOperator;

/**
 * Whether baking pays: judged fidelity and similarity as a function of the step budget, for normal
 * dreams and microwaves of baked prompts, and for normal dreams and auto-microwaves of prompts that
 * were not baked. The dreams themselves are made and judged by {@link Evaluation}; this class lays
 * out the configurations, turns the dreams into points with standard errors, and reads the answers
 * off them: how many fewer steps a microwave needs to reach what a normal dream reaches with its
 * whole budget, and whether auto-microwave is ever worse than normal at equal steps.
 */
public final class BakeBenchmark {

    /** The prompt groups: evaluation prompts that are baked, and prompts that are not. */
    public static final String BAKED = "baked";
    public static final String UNSEEN = "unseen";

    /** How a point was dreamed. */
    public enum Mode {
        NORMAL("normal", DreamRequest.Mode.NORMAL),
        MICROWAVE("microwave", DreamRequest.Mode.MICROWAVE),
        AUTO("auto-microwave", DreamRequest.Mode.AUTO);

        private final String label;
        private final DreamRequest.Mode request;

        Mode(String label, DreamRequest.Mode request) {
            this.label = label;
            this.request = request;
        }

        public String label() {
            return label;
        }
    }

    /**
     * One point of the curves: a group, a mode and a step budget.
     *
     * @param fidelityError the judged rate's standard error, √(p(1−p)/n)
     * @param similarityError standard error of the mean guide similarity (NaN below 2 dreams)
     * @param evaluatorSimilarity mean held-out evaluator similarity; NaN without an evaluator
     * @param modesUsed how the oven really rendered the dreams: an auto-microwave finds no baked path
     *     that qualifies for most prompts, and then dreams normally
     */
    public record Point(String group, Mode mode, int steps, int dreams, double fidelity, double fidelityError,
            double similarity, double similarityError, double evaluatorSimilarity, double evaluatorError,
            Map<String, Integer> modesUsed) {
        public Point {
            modesUsed = Collections.unmodifiableMap(new LinkedHashMap<>(modesUsed));
        }
    }

    /**
     * How much sooner a faster mode gets there.
     *
     * @param fullSteps the largest budget measured: normal's full budget
     * @param target what normal reaches with it
     * @param reachedAt the smallest budget at which the faster mode reaches {@code target}, if any
     */
    public record SpeedUp(int fullSteps, double target, OptionalInt reachedAt) {
        /** fullSteps / reachedAt; NaN when never reached. */
        public double factor() {
            return reachedAt.isPresent() ? (double) fullSteps / reachedAt.getAsInt() : Double.NaN;
        }
    }

    private final Map<String, Mode> modes = new LinkedHashMap<>();
    private final Map<String, Integer> budgets = new LinkedHashMap<>();

    /**
     * The work: at every budget, normal on both groups, microwave on the baked prompts and
     * auto-microwave on the unseen ones, with the preset's other settings unchanged.
     */
    public List<Evaluation.Part> parts(List<Integer> steps, String preset, Evaluation.PromptGroup baked,
            Evaluation.PromptGroup unseen) {
        List<Evaluation.Part> parts = new ArrayList<>();
        for (int s : steps) {
            parts.add(new Evaluation.Part(config(Mode.NORMAL, s, preset), List.of(baked, unseen)));
            parts.add(new Evaluation.Part(config(Mode.MICROWAVE, s, preset), List.of(baked)));
            parts.add(new Evaluation.Part(config(Mode.AUTO, s, preset), List.of(unseen)));
        }
        return parts;
    }

    private Evaluation.Config config(Mode mode, int steps, String preset) {
        String name = mode.label() + " @" + steps;
        modes.put(name, mode);
        budgets.put(name, steps);
        UnaryOperator<DreamSettings.Builder> budget = b -> b.steps(steps);
        return new Evaluation.Config(name, preset, budget, mode.request);
    }

    /** The dreams of {@link #parts}, one point per group, mode and budget, in the order met. */
    public List<Point> points(List<Evaluation.Dream> dreams) {
        Map<String, List<Evaluation.Dream>> byPoint = new LinkedHashMap<>();
        for (Evaluation.Dream d : dreams) {
            if (!modes.containsKey(d.config())) {
                throw new IllegalArgumentException("not a configuration of this benchmark: " + d.config());
            }
            byPoint.computeIfAbsent(d.group() + "\u0000" + d.config(), k -> new ArrayList<>()).add(d);
        }
        List<Point> points = new ArrayList<>();
        for (List<Evaluation.Dream> ds : byPoint.values()) {
            Evaluation.Dream first = ds.get(0);
            int n = ds.size();
            double p = (double) ds.stream().filter(Evaluation.Dream::passed).count() / n;
            double[] sim = meanAndError(ds, Evaluation.Dream::similarity);
            double[] eval = meanAndError(ds, Evaluation.Dream::evaluatorSimilarity);
            Map<String, Integer> used = new LinkedHashMap<>();
            ds.forEach(d -> used.merge(d.mode(), 1, Integer::sum));
            points.add(new Point(first.group(), modes.get(first.config()), budgets.get(first.config()), n, p,
                    Math.sqrt(p * (1 - p) / n), sim[0], sim[1], eval[0], eval[1], used));
        }
        return points;
    }

    /** Mean and its standard error (sample deviation / √n) of the finite values; NaN where too few. */
    private static double[] meanAndError(List<Evaluation.Dream> ds, ToDoubleFunction<Evaluation.Dream> value) {
        double[] v = ds.stream().mapToDouble(value).filter(Double::isFinite).toArray();
        if (v.length == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double mean = Arrays.stream(v).average().orElseThrow();
        if (v.length < 2) {
            return new double[] {mean, Double.NaN};
        }
        double ss = Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum();
        return new double[] {mean, Math.sqrt(ss / (v.length - 1) / v.length)};
    }

    /**
     * How many fewer steps {@code fast} needs on {@code group} to reach what normal reaches there
     * with the largest budget, by {@code measure} (fidelity or a similarity).
     */
    public static Optional<SpeedUp> speedUp(List<Point> points, String group, Mode fast, ToDoubleFunction<Point> measure) {
        Optional<Point> full = points.stream().filter(p -> p.group().equals(group) && p.mode() == Mode.NORMAL)
                .max(Comparator.comparingInt(Point::steps));
        if (full.isEmpty()) {
            return Optional.empty();
        }
        double target = measure.applyAsDouble(full.get());
        OptionalInt reached = points.stream()
                .filter(p -> p.group().equals(group) && p.mode() == fast && measure.applyAsDouble(p) >= target)
                .mapToInt(Point::steps).min();
        return Optional.of(new SpeedUp(full.get().steps(), target, reached));
    }

    /** The table, one row a point, in Markdown. */
    public static String table(List<Point> points) {
        boolean evaluated = points.stream().anyMatch(p -> Double.isFinite(p.evaluatorSimilarity()));
        StringBuilder sb = new StringBuilder("| prompts | mode | steps | dreams | judged | guide similarity |")
                .append(evaluated ? " evaluator similarity |" : "").append(" rendered as |\n")
                .append("|---|---|---:|---:|---:|---:|").append(evaluated ? "---:|" : "").append("---|\n");
        for (Point p : points) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %.1f%% ± %.1f | %s |", p.group(),
                    p.mode().label(), p.steps(), p.dreams(), 100 * p.fidelity(), 100 * p.fidelityError(),
                    meanError(p.similarity(), p.similarityError())));
            if (evaluated) {
                sb.append(' ').append(meanError(p.evaluatorSimilarity(), p.evaluatorError())).append(" |");
            }
            sb.append(' ').append(String.join(", ", p.modesUsed().entrySet().stream()
                    .map(e -> e.getValue() + " " + e.getKey()).toList())).append(" |\n");
        }
        return sb.toString();
    }

    /**
     * What the points say: microwave's speed-up on baked prompts (by judged fidelity, and by guide
     * similarity), and auto-microwave against normal at every budget on unseen prompts.
     */
    public static String verdicts(List<Point> points) {
        StringBuilder sb = new StringBuilder();
        speedUp(points, BAKED, Mode.MICROWAVE, Point::fidelity).ifPresent(s -> {
            if (s.target() == 0) {
                sb.append(String.format(Locale.ROOT, "speed-up (judged): none can be read: normal is judged right in "
                        + "0%% of baked-prompt dreams at %d steps, which every mode reaches%n", s.fullSteps()));
            } else {
                sb.append(speedUpLine("judged", s, String.format(Locale.ROOT, "%.1f%%", 100 * s.target())));
            }
        });
        speedUp(points, BAKED, Mode.MICROWAVE, Point::similarity).ifPresent(s -> sb.append(
                speedUpLine("guide similarity", s, String.format(Locale.ROOT, "%.4f", s.target()))));
        if (points.stream().anyMatch(p -> Double.isFinite(p.evaluatorSimilarity()))) {
            speedUp(points, BAKED, Mode.MICROWAVE, Point::evaluatorSimilarity).ifPresent(s -> sb.append(
                    speedUpLine("evaluator similarity", s, String.format(Locale.ROOT, "%.4f", s.target()))));
        }
        for (Point auto : points) {
            if (!auto.group().equals(UNSEEN) || auto.mode() != Mode.AUTO) {
                continue;
            }
            points.stream().filter(p -> p.group().equals(UNSEEN) && p.mode() == Mode.NORMAL && p.steps() == auto.steps())
                    .findFirst().ifPresent(normal -> {
                        double diff = auto.fidelity() - normal.fidelity();
                        double error = Math.hypot(auto.fidelityError(), normal.fidelityError());
                        int fromBaked = auto.dreams() - auto.modesUsed().getOrDefault(Mode.NORMAL.label(), 0);
                        sb.append(String.format(Locale.ROOT, "unseen prompts at %d steps: auto-microwave %.1f%% vs "
                                + "normal %.1f%% (difference %+.1f ± %.1f points): %s; a baked path was used in %d of "
                                + "%d dreams%n", auto.steps(), 100 * auto.fidelity(), 100 * normal.fidelity(),
                                100 * diff, 100 * error, diff < -error ? "WORSE by more than one standard error"
                                        : "not worse", fromBaked, auto.dreams()));
                    });
        }
        return sb.toString();
    }

    private static String speedUpLine(String measure, SpeedUp s, String target) {
        if (s.reachedAt().isEmpty()) {
            return String.format(Locale.ROOT, "speed-up (%s): normal reaches %s at %d steps on baked prompts; microwave "
                    + "does not reach it at any budget measured%n", measure, target, s.fullSteps());
        }
        return String.format(Locale.ROOT, "speed-up (%s): normal reaches %s at %d steps on baked prompts; microwave "
                + "reaches it at %d steps: %.1fx fewer steps%n", measure, target, s.fullSteps(), s.reachedAt().getAsInt(),
                s.factor());
    }

    private static String meanError(double mean, double error) {
        if (!Double.isFinite(mean)) {
            return "n/a";
        }
        return Double.isFinite(error) ? String.format(Locale.ROOT, "%.4f ± %.4f", mean, error)
                : String.format(Locale.ROOT, "%.4f", mean);
    }
}
