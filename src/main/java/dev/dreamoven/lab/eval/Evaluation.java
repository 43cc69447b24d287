package dev.dreamoven.lab.eval;

import dev.dreamoven.bake.Oven;
import dev.dreamoven.dream.DreamListener;
import dev.dreamoven.dream.DreamRequest;
import dev.dreamoven.dream.DreamSettings;
import dev.dreamoven.image.RgbImage;
import dev.dreamoven.lab.toyworld.Spec;
import dev.dreamoven.lab.toyworld.ToyJudge;
import dev.dreamoven.lab.toyworld.ToyPrompt;
import dev.dreamoven.lab.toyworld.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Measures picture quality without trusting the guiding model: dreams a fixed prompt set with fixed
 * seeds under several configurations and lets the model-free {@link ToyJudge} say whether each
 * picture shows what its prompt asked (docs/design.md §8).
 */
public final class Evaluation {

    /**
     * One way of dreaming.
     *
     * @param tweak changes the preset's settings (e.g. one regularizer off)
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

    /** One dream and its verdict. */
    public record Dream(String config, String group, String prompt, long seed, String mode, boolean passed,
            double similarity, String failedBecause, RgbImage picture) {
    }

    /**
     * One row of the table.
     *
     * @param cheatRate failed dreams whose similarity reached the median similarity of passed dreams
     */
    public record Row(String config, String group, int dreams, int passed, double meanSimilarity, double cheatRate,
            Map<String, Integer> modes) {
        public double fidelity() {
            return dreams == 0 ? 0 : (double) passed / dreams;
        }
    }

    /** Told after every dream. */
    public interface Progress {
        void dreamt(Dream dream, int done, int total);
    }

    private final Oven oven;
    private final ToyJudge judge;

    public Evaluation(Oven oven, ToyJudge judge) {
        this.oven = oven;
        this.judge = judge;
    }

    /** The regularizers that are on in {@code preset}, each switched off in turn, and no augmentation. */
    public static List<Config> ablations(String preset) {
        DreamSettings.Regularizers r = DreamSettings.preset(preset).regularizers();
        List<Config> configs = new ArrayList<>();
        configs.add(new Config("default", preset, UnaryOperator.identity(), DreamRequest.Mode.NORMAL));
        if (r.maskedTv() > 0) {
            configs.add(new Config("no masked TV", preset, x -> x.maskedTv(0), DreamRequest.Mode.NORMAL));
        }
        if (r.tv() > 0) {
            configs.add(new Config("no TV", preset, x -> x.tv(0), DreamRequest.Mode.NORMAL));
        }
        if (r.range() > 0) {
            configs.add(new Config("no range", preset, x -> x.range(0), DreamRequest.Mode.NORMAL));
        }
        if (r.std() > 0) {
            configs.add(new Config("no std", preset, x -> x.std(0, r.stdTarget()), DreamRequest.Mode.NORMAL));
        }
        if (r.saturation() > 0) {
            configs.add(new Config("no saturation", preset, x -> x.saturation(0, r.saturationMax(), r.saturationMin()),
                    DreamRequest.Mode.NORMAL));
        }
        configs.add(new Config("no augmentation", preset,
                x -> x.cutScales(1, 1).augmentation(0, 0, 0, false), DreamRequest.Mode.NORMAL));
        return configs;
    }

    /** Normal against microwave (baked prompts) and auto-microwave (unseen prompts) at one budget. */
    public static List<Config> modes(String preset) {
        return List.of(
                new Config("normal @" + preset, preset, UnaryOperator.identity(), DreamRequest.Mode.NORMAL),
                new Config("microwave @" + preset, preset, UnaryOperator.identity(), DreamRequest.Mode.MICROWAVE),
                new Config("auto @" + preset, preset, UnaryOperator.identity(), DreamRequest.Mode.AUTO));
    }

    /**
     * Runs every config on every group with seeds {@code 1..seeds}. A MICROWAVE config only runs on
     * prompts that are baked for the model; configs whose mode makes no sense for a group are
     * skipped by the caller's choice of groups.
     */
    public List<Dream> run(List<Config> configs, List<PromptGroup> groups, int seeds, Progress progress) {
        List<Dream> jobs = new ArrayList<>();
        int total = 0;
        for (Config c : configs) {
            for (PromptGroup g : groups) {
                total += runnable(c, g).size() * seeds;
            }
        }
        int done = 0;
        for (Config c : configs) {
            for (PromptGroup g : groups) {
                for (String prompt : runnable(c, g)) {
                    Spec spec = ToyPrompt.parse(prompt).orElseThrow(() -> new IllegalArgumentException(
                            "'" + prompt + "' is not a prompt of the toy world"));
                    for (int seed = 1; seed <= seeds; seed++) {
                        Dream d = dream(c, g, prompt, spec, seed);
                        jobs.add(d);
                        progress.dreamt(d, ++done, total);
                    }
                }
            }
        }
        return jobs;
    }

    private List<String> runnable(Config c, PromptGroup g) {
        if (c.mode() != DreamRequest.Mode.MICROWAVE) {
            return g.prompts();
        }
        return g.prompts().stream().filter(p -> oven.store().findByPrompt(oven.modelId(), p).isPresent()).toList();
    }

    private Dream dream(Config c, PromptGroup g, String prompt, Spec spec, long seed) {
        DreamRequest request = new DreamRequest(prompt, List.of(), 0, 0, seed, c.preset(), "none", 1, c.mode());
        Oven.Recipe recipe = oven.prepare(request);
        Oven.Recipe tweaked = recipe.withSettings(c.tweak().apply(recipe.settings().toBuilder().frameEvery(0)).build());
        Oven.Cooked cooked = oven.cook(tweaked, DreamListener.NONE);
        Verdict v = judge.judge(cooked.pixelArt(), spec);
        String why = v.passed() ? "" : String.join("; ", v.checks().stream().filter(ch -> !ch.passed())
                .map(Verdict.Check::reason).toList());
        return new Dream(c.name(), g.name(), prompt, seed, cooked.plan().kind().label(), v.passed(), cooked.similarity(),
                why, cooked.pixelArt());
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
            double meanSim = ds.stream().mapToDouble(Dream::similarity).average().orElse(0);
            double[] passSims = ds.stream().filter(Dream::passed).mapToDouble(Dream::similarity).sorted().toArray();
            double median = passSims.length == 0 ? Double.POSITIVE_INFINITY : passSims[passSims.length / 2];
            long failed = ds.size() - passed;
            long cheats = ds.stream().filter(d -> !d.passed() && d.similarity() >= median).count();
            Map<String, Integer> modes = new LinkedHashMap<>();
            ds.forEach(d -> modes.merge(d.mode(), 1, Integer::sum));
            rows.add(new Row(ds.get(0).config(), ds.get(0).group(), ds.size(), passed, meanSim,
                    failed == 0 ? 0 : (double) cheats / failed, modes));
        }
        return rows;
    }

    /** Fidelity of one config over all its dreams. */
    public static double fidelity(List<Dream> dreams, String config) {
        List<Dream> ds = dreams.stream().filter(d -> d.config().equals(config)).toList();
        return ds.isEmpty() ? 0 : (double) ds.stream().filter(Dream::passed).count() / ds.size();
    }
}
