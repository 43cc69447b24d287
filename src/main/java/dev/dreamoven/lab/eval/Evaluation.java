package dev.dreamoven.lab.eval;

import dev.dreamoven.bake.Oven;
import dev.dreamoven.dream.DreamListener;
import dev.dreamoven.dream.DreamRequest;
import dev.dreamoven.dream.DreamSettings;
import dev.dreamoven.image.PixelArtMeasures;
import dev.dreamoven.image.RgbImage;
import dev.dreamoven.lab.toyworld.Spec;
import dev.dreamoven.lab.toyworld.ToyJudge;
import dev.dreamoven.lab.toyworld.ToyPrompt;
import dev.dreamoven.lab.toyworld.Verdict;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Measures picture quality without trusting the guiding model: dreams prompt sets with fixed seeds
 * under several configurations and lets the model-free, strict {@link ToyJudge} say whether each
 * picture shows what its prompt asked (docs/design.md §8); beside it, the colours alone, the guide's
 * and a held-out evaluator's similarity, and how much each picture looks like pixel art.
 *
 * <p>The work is a plan of numbered {@link Job}s, so that shards of it can run apart and be merged.
 */
public final class Evaluation {

    /**
     * One way of dreaming.
     *
     * @param preset the preset its requests ask for
     * @param tweak changes the recipe's settings (e.g. one regularizer off)
     * @param mode NORMAL, MICROWAVE (baked prompts) or AUTO (auto-microwave where a baked path is near)
     */
    public record Config(String name, String preset, UnaryOperator<DreamSettings.Builder> tweak, DreamRequest.Mode mode) {
    }

    /** A group of prompts judged together (single shapes, two-shape relations, unseen prompts). */
    public record PromptGroup(String name, List<String> prompts) {
        public PromptGroup {
            prompts = List.copyOf(prompts);
        }
    }

    /** Configurations and the groups each one dreams. */
    public record Part(Config config, List<PromptGroup> groups) {
        public Part {
            groups = List.copyOf(groups);
        }
    }

    /** One dream to make; {@code index} is its place in the whole plan. */
    public record Job(int index, Config config, PromptGroup group, String prompt, long seed) {
    }

    /**
     * One dream and what was measured of it.
     *
     * @param mode the kind of dream the oven chose (normal, microwave, auto-microwave)
     * @param coloursRight the asked background and a region of each asked colour (see {@link Verdict#coloursRight})
     * @param similarity the guide's cosine of the picture to the prompt
     * @param evaluatorSimilarity the held-out evaluator's cosine of the output to the prompt; NaN without one
     * @param failedBecause the judge's reasons, empty when it passed
     */
    public record Dream(int index, String config, String group, String prompt, long seed, String mode, boolean passed,
            boolean coloursRight, double similarity, double evaluatorSimilarity, String failedBecause,
            PixelArtMeasures measures) {
    }

    /**
     * One row of the table.
     *
     * @param meanEvaluatorSimilarity NaN when no dream had a held-out evaluator
     * @param maxColours most distinct colours of any output
     * @param maxIsolated largest share of isolated pixels of any output
     * @param minAlike smallest share of alike neighbour pairs of any output
     */
    public record Row(String config, String group, int dreams, int passed, int coloursRight, double meanSimilarity,
            double meanEvaluatorSimilarity, int maxColours, double maxIsolated, double minAlike,
            Map<String, Integer> modes) {

        /** The judged rate. */
        public double fidelity() {
            return dreams == 0 ? 0 : (double) passed / dreams;
        }

        /** The judged rate's standard error, √(p(1−p)/n). */
        public double standardError() {
            double p = fidelity();
            return dreams == 0 ? 0 : Math.sqrt(p * (1 - p) / dreams);
        }

        public double coloursRate() {
            return dreams == 0 ? 0 : (double) coloursRight / dreams;
        }
    }

    /** What the oven cooks for one dream: the product's own options applied to a prompt, seed, preset and mode. */
    public interface Recipes {
        Oven.Recipe of(String prompt, long seed, String preset, DreamRequest.Mode mode);
    }

    /** A held-out model's cosine between a picture and a prompt. */
    public interface Evaluator {
        double similarity(RgbImage picture, String prompt);
    }

    /** Told after every dream, with the output at its own size. */
    public interface Progress {
        void dreamt(Dream dream, RgbImage picture, int done, int total);
    }

    private final Oven oven;
    private final Recipes recipes;
    private final ToyJudge judge;
    private final Optional<Evaluator> evaluator;

    public Evaluation(Oven oven, Recipes recipes, ToyJudge judge, Optional<Evaluator> evaluator) {
        this.oven = oven;
        this.recipes = recipes;
        this.judge = judge;
        this.evaluator = evaluator;
    }

    /**
     * For a free-pixel preset, its regularizer (masked TV) switched off, and no augmentation; none
     * for the layered drawing, which has neither.
     */
    public static List<Config> ablations(String preset) {
        DreamSettings settings = DreamSettings.preset(preset);
        if (settings.drawing() != DreamSettings.Drawing.PIXELS) {
            return List.of();
        }
        DreamSettings.Regularizers r = settings.regularizers();
        List<Config> configs = new ArrayList<>();
        if (r.maskedTv() > 0) {
            configs.add(new Config("no masked TV", preset, x -> x.maskedTv(0), DreamRequest.Mode.NORMAL));
        }
        configs.add(new Config("no augmentation", preset,
                x -> x.cutScales(1, 1).augmentation(0, 0, 0, false), DreamRequest.Mode.NORMAL));
        return configs;
    }

    /** The settings as asked, unchanged. */
    public static Config asAsked(String preset) {
        return new Config("default", preset, UnaryOperator.identity(), DreamRequest.Mode.NORMAL);
    }

    /** Normal against microwave (baked prompts) and auto-microwave (unseen prompts) at one budget. */
    public static List<Config> modes(String preset) {
        return List.of(
                new Config("normal @" + preset, preset, UnaryOperator.identity(), DreamRequest.Mode.NORMAL),
                new Config("microwave @" + preset, preset, UnaryOperator.identity(), DreamRequest.Mode.MICROWAVE),
                new Config("auto @" + preset, preset, UnaryOperator.identity(), DreamRequest.Mode.AUTO));
    }

    /**
     * The whole plan, numbered: every part's config on each of its groups (a config and group met
     * twice run once), every prompt, seeds {@code 1..seeds(group)}. A MICROWAVE config only runs on
     * prompts that are baked for the model.
     */
    public List<Job> plan(List<Part> parts, java.util.function.ToIntFunction<PromptGroup> seeds) {
        List<Job> jobs = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Part part : parts) {
            for (PromptGroup g : part.groups()) {
                if (!seen.add(part.config().name() + "\u0000" + g.name())) {
                    continue;
                }
                for (String prompt : runnable(part.config(), g)) {
                    for (int seed = 1; seed <= seeds.applyAsInt(g); seed++) {
                        jobs.add(new Job(jobs.size(), part.config(), g, prompt, seed));
                    }
                }
            }
        }
        return jobs;
    }

    /** The jobs of shard {@code i} of {@code n} (1-based): every n-th job, so each shard gets a share of every row. */
    public static List<Job> shard(List<Job> jobs, int i, int n) {
        if (n < 1 || i < 1 || i > n) {
            throw new IllegalArgumentException("shard " + i + "/" + n);
        }
        return jobs.stream().filter(j -> j.index() % n == i - 1).toList();
    }

    public List<Dream> run(List<Job> jobs, Progress progress) {
        List<Dream> dreams = new ArrayList<>();
        for (Job job : jobs) {
            Spec spec = ToyPrompt.parse(job.prompt()).orElseThrow(() -> new IllegalArgumentException(
                    "'" + job.prompt() + "' is not a prompt of the toy world"));
            Oven.Recipe recipe = recipes.of(job.prompt(), job.seed(), job.config().preset(), job.config().mode());
            Oven.Recipe tweaked = recipe.withSettings(
                    job.config().tweak().apply(recipe.settings().toBuilder().frameEvery(0)).build());
            Oven.Cooked cooked = oven.cook(tweaked, DreamListener.NONE);
            RgbImage picture = cooked.pixelArt();
            Verdict v = judge.judge(picture, spec);
            String why = String.join("; ", v.checks().stream().filter(ch -> !ch.passed())
                    .map(ch -> ch.attribute() + ": " + ch.reason()).toList());
            Dream d = new Dream(job.index(), job.config().name(), job.group().name(), job.prompt(), job.seed(),
                    cooked.plan().kind().label(), v.passed(), v.coloursRight(), cooked.similarity(),
                    evaluator.map(e -> e.similarity(picture, job.prompt())).orElse(Double.NaN), why,
                    PixelArtMeasures.of(picture));
            dreams.add(d);
            progress.dreamt(d, picture, dreams.size(), jobs.size());
        }
        return dreams;
    }

    private List<String> runnable(Config c, PromptGroup g) {
        if (c.mode() != DreamRequest.Mode.MICROWAVE) {
            return g.prompts();
        }
        return g.prompts().stream().filter(p -> oven.store().findByPrompt(oven.modelId(), p).isPresent()).toList();
    }

    /** The table: one row per config and group, in the order met. */
    public static List<Row> table(List<Dream> dreams) {
        Map<String, List<Dream>> byRow = new LinkedHashMap<>();
        for (Dream d : dreams) {
            byRow.computeIfAbsent(d.config() + "\u0000" + d.group(), k -> new ArrayList<>()).add(d);
        }
        List<Row> rows = new ArrayList<>();
        for (List<Dream> ds : byRow.values()) {
            int passed = (int) ds.stream().filter(Dream::passed).count();
            int colours = (int) ds.stream().filter(Dream::coloursRight).count();
            double meanSim = ds.stream().mapToDouble(Dream::similarity).average().orElse(Double.NaN);
            double meanEval = ds.stream().mapToDouble(Dream::evaluatorSimilarity).filter(Double::isFinite).average()
                    .orElse(Double.NaN);
            Map<String, Integer> modes = new LinkedHashMap<>();
            ds.forEach(d -> modes.merge(d.mode(), 1, Integer::sum));
            rows.add(new Row(ds.get(0).config(), ds.get(0).group(), ds.size(), passed, colours, meanSim, meanEval,
                    ds.stream().mapToInt(d -> d.measures().colours()).max().orElse(0),
                    ds.stream().mapToDouble(d -> d.measures().isolated()).max().orElse(0),
                    ds.stream().mapToDouble(d -> d.measures().alike()).min().orElse(1), modes));
        }
        return rows;
    }
}
