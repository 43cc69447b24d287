package dev.dreamoven.lab.bench;

import ai.djl.ndarray.NDManager;
import dev.dreamoven.bake.BakedSummary;
import dev.dreamoven.bake.Oven;
import dev.dreamoven.cli.AppCommand;
import dev.dreamoven.cli.DreamOptions;
import dev.dreamoven.cli.Services;
import dev.dreamoven.clip.LoadedClip;
import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.dream.DreamRequest;
import dev.dreamoven.image.AtomicFiles;
import dev.dreamoven.image.Charts;
import dev.dreamoven.lab.eval.EvalCommand;
import dev.dreamoven.lab.eval.EvalRecords;
import dev.dreamoven.lab.eval.Evaluation;
import dev.dreamoven.lab.toyworld.ToyJudge;
import dev.dreamoven.lab.toyworld.ToyModels;
import dev.dreamoven.lab.toyworld.ToyPromptSet;
import dev.dreamoven.settings.Settings;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bench bake}: does baking pay? Fidelity and similarity against the step budget, per mode. */
@Command(name = "bake", mixinStandardHelpOptions = true,
        description = {"Judged fidelity (the strict toy-world judge) and the guide's similarity, and a held-out "
                + "evaluator's with --evaluator, as a function of the step budget: normal and microwave on the baked "
                + "evaluation prompts, normal and auto-microwave on unseen prompts, at least --dreams dreams a point, "
                + "with standard errors.",
            "Prints the table, microwave's speed-up (how many fewer steps it needs to reach what normal reaches "
                + "with the largest budget) and auto-microwave against normal at each budget; writes DIR/bench-bake.md, "
                + "chart.png (judged) and similarity.png, and every dream (a stopped run resumes)."})
public final class BenchBakeCommand implements AppCommand {

    @Option(names = "--budgets", paramLabel = "N,N...", split = ",", defaultValue = "15,30,60,120,250",
            description = "Step budgets (default: ${DEFAULT-VALUE}); the largest is normal's full budget.")
    List<Integer> budgets;

    @Option(names = "--dreams", paramLabel = "N", defaultValue = "96",
            description = "Dreams a point at least: seeds per prompt = N / prompts, rounded up (default: ${DEFAULT-VALUE}).")
    int dreams;

    @Option(names = "--prompts", paramLabel = "N",
            description = "Only the first N prompts of each group (default: all; for small runs).")
    Integer prompts;

    @Mixin
    DreamOptions dream;

    @Option(names = "--evaluator", paramLabel = "FILE",
            description = "A held-out CLIP (a model.safetensors, or a folder from 'toyworld train') whose similarity "
                    + "is reported beside the guide's.")
    Path evaluator;

    @Option(names = "--evaluator-vocab", paramLabel = "FILE", description = "The evaluator's vocabulary.")
    Path evaluatorVocab;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "bench-bake", description = "Report folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Settings configure(Settings settings) {
        return dream.configure(settings);
    }

    @Override
    public int run(Services services) throws IOException {
        if (budgets.isEmpty() || budgets.stream().anyMatch(b -> b < DreamRequest.MIN_STEPS || b > DreamRequest.MAX_STEPS)) {
            throw new InvalidInputException("--budgets must be step counts from " + DreamRequest.MIN_STEPS + " to "
                    + DreamRequest.MAX_STEPS);
        }
        if (dreams < 1 || dreams > 100_000 || (prompts != null && prompts < 1)) {
            throw new InvalidInputException("--dreams must be between 1 and 100000, --prompts at least 1");
        }
        dream.validate();
        if (dream.request("x", DreamRequest.Mode.NORMAL, 1, null).steps() != 0) {
            throw new InvalidInputException("bench bake sets the steps itself: give --budgets, not --steps");
        }
        if (evaluator != null && !Files.exists(evaluator)) {
            throw new InvalidInputException("--evaluator " + evaluator + " does not exist");
        }
        List<Integer> steps = budgets.stream().distinct().sorted().toList();
        Oven oven = services.oven();
        List<BakedSummary> bakedPaths = oven.store().list(oven.modelId());
        // A microwave takes at least one step per stage, so a smaller budget would not be the budget it ran.
        int stages = bakedPaths.stream().mapToInt(BakedSummary::stageCount).max().orElse(1);
        if (steps.get(0) < stages) {
            throw new InvalidInputException("--budgets must be at least " + stages + ", the stage count of the baked "
                    + "paths: a microwave takes one step per stage at least");
        }
        Set<String> bakedPrompts = bakedPaths.stream().map(BakedSummary::prompt).collect(Collectors.toSet());
        List<String> evaluationPrompts = new ArrayList<>(ToyPromptSet.SINGLE_SHAPE);
        evaluationPrompts.addAll(ToyPromptSet.TWO_SHAPES);
        Evaluation.PromptGroup baked = group(BakeBenchmark.BAKED,
                evaluationPrompts.stream().filter(bakedPrompts::contains).toList());
        List<String> unseenPrompts = new ArrayList<>(ToyPromptSet.UNSEEN_SINGLE_SHAPE);
        unseenPrompts.addAll(ToyPromptSet.UNSEEN_TWO_SHAPES);
        Evaluation.PromptGroup unseen = group(BakeBenchmark.UNSEEN, unseenPrompts);
        if (baked.prompts().isEmpty()) {
            throw new InvalidInputException("none of the evaluation prompts is baked for model " + oven.modelId()
                    + ": bake them first (bake --batch)");
        }
        String preset = dream.presetOr(services.settings().dream().preset());
        BakeBenchmark benchmark = new BakeBenchmark();
        List<Evaluation.Part> parts = benchmark.parts(steps, preset, baked, unseen);
        PrintWriter stdout = spec.commandLine().getOut();
        try (NDManager root = NDManager.newBaseManager("PyTorch");
                LoadedClip held = evaluator == null ? null
                        : ToyModels.open(evaluator, Optional.ofNullable(evaluatorVocab), root)) {
            Evaluation evaluation = new Evaluation(oven,
                    (prompt, seed, p, mode) -> dream.recipe(oven, dream.request(prompt, mode, seed, p)),
                    new ToyJudge(), Optional.ofNullable(held).map(EvalCommand::evaluatorOf));
            List<Evaluation.Job> jobs = evaluation.plan(parts, g -> (dreams + g.prompts().size() - 1) / g.prompts().size());
            EvalRecords records = EvalRecords.open(out, new EvalRecords.Shard(1, 1, jobs.size(), definition(steps, preset)));
            List<Evaluation.Dream> made = new ArrayList<>(records.done());
            Set<Integer> done = made.stream().map(Evaluation.Dream::index).collect(Collectors.toSet());
            List<Evaluation.Job> todo = jobs.stream().filter(j -> !done.contains(j.index())).toList();
            if (!done.isEmpty()) {
                stdout.printf("bench bake: resuming in %s: %d dreams done, %d to make%n", out, done.size(), todo.size());
                stdout.flush();
            }
            made.addAll(records.make(evaluation, todo, "bench bake", Evaluation.Dream::config));
            made.sort(Comparator.comparingInt(Evaluation.Dream::index));
            List<BakeBenchmark.Point> points = benchmark.points(made);
            String report = BakeBenchmark.table(points) + "\n" + BakeBenchmark.verdicts(points);
            stdout.print(report);
            AtomicFiles.write(out.resolve("bench-bake.md"), report.getBytes(StandardCharsets.UTF_8));
            writePng(out.resolve("chart.png"), chart("Judged fidelity by step budget", points, steps,
                    BakeBenchmark.Point::fidelity));
            writePng(out.resolve("similarity.png"), chart("Guide similarity by step budget", points, steps,
                    BakeBenchmark.Point::similarity));
            stdout.printf("bench bake: %d dreams; report, chart.png and similarity.png in %s%n", made.size(), out);
        }
        stdout.flush();
        return 0;
    }

    private Evaluation.PromptGroup group(String name, List<String> all) {
        return new Evaluation.PromptGroup(name, prompts == null ? all : all.subList(0, Math.min(prompts, all.size())));
    }

    /** What the recorded dreams were made under, so a resumed run in the same folder is the same benchmark. */
    private List<String> definition(List<Integer> steps, String preset) {
        List<String> args = new ArrayList<>(List.of("bench bake", "budgets=" + steps, "dreams=" + dreams,
                "prompts=" + prompts, "preset=" + preset, "evaluator=" + evaluator));
        spec.commandLine().getParseResult().matchedOptions().stream()
                .filter(o -> !List.of("--out", "--budgets", "--dreams", "--prompts", "--evaluator").contains(o.longestName()))
                .forEach(o -> args.add(o.longestName() + "=" + String.join(",", o.originalStringValues())));
        args.sort(null);
        return args;
    }

    /** One group of bars per budget; one bar per prompt group and mode. */
    private static BufferedImage chart(String title, List<BakeBenchmark.Point> points, List<Integer> steps,
            ToDoubleFunction<BakeBenchmark.Point> measure) {
        List<String> labels = steps.stream().map(s -> s + " steps").toList();
        List<String> names = new ArrayList<>();
        List<double[]> series = new ArrayList<>();
        for (BakeBenchmark.Point p : points) {
            String name = p.group() + ": " + p.mode().label();
            if (!names.contains(name)) {
                names.add(name);
                series.add(new double[labels.size()]);
            }
            double v = measure.applyAsDouble(p);
            series.get(names.indexOf(name))[steps.indexOf(p.steps())] = Double.isFinite(v) ? v : 0;
        }
        return Charts.barChart(title, labels, series, names);
    }

    private static void writePng(Path file, BufferedImage image) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "png", bytes);
        AtomicFiles.write(file, bytes.toByteArray());
    }
}
