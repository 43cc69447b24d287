package dev.dreamoven.lab.eval;

import dev.dreamoven.cli.AppCommand;
import dev.dreamoven.cli.Services;
import dev.dreamoven.settings.Settings;

import dev.dreamoven.cli.ModelOptions;

import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.lab.eval.Evaluation;
import dev.dreamoven.image.AtomicFiles;
import dev.dreamoven.image.Charts;
import dev.dreamoven.image.RgbImage;
import dev.dreamoven.lab.toyworld.ToyJudge;
import dev.dreamoven.lab.toyworld.ToyPromptSet;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code eval}: judged fidelity of dreams on the toy world, per configuration and mode. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Dream a fixed prompt set with fixed seeds and let a model-free judge score each picture: "
                + "the default preset, each regularizer off in turn, no augmentation; then normal vs microwave "
                + "(baked prompts) vs auto-microwave (unseen prompts) at the draft budget.")
public final class EvalCommand implements AppCommand {

    /** Prompts that are not baked but lie near baked ones: what auto-microwave is for. */
    public static final List<String> UNSEEN = List.of(
            "a red square",
            "a green circle at the bottom",
            "a blue cross",
            "a yellow circle",
            "a big purple square in the centre",
            "a small orange circle",
            "a red circle right of a blue square",
            "a green square right of a yellow circle");

    @Option(names = "--prompts", paramLabel = "FILE", description = "Prompts to evaluate, one a line (default: the fixed toy set).")
    Path prompts;

    @Option(names = "--seeds", paramLabel = "N", defaultValue = "2", description = "Seeds per prompt (default: 2).")
    int seeds;

    @Option(names = "--preset", paramLabel = "P", description = "Preset of the ablation table (default: ${dreamoven.setting.dream.preset}, setting dream.preset).")
    String preset;

    @Option(names = "--modes-preset", paramLabel = "P", defaultValue = "draft",
            description = "Budget of the mode comparison (default: draft).")
    String modesPreset;

    @Option(names = "--only", paramLabel = "PART", defaultValue = "all",
            description = "all, ablations or modes.")
    String only;

    @picocli.CommandLine.Mixin
    ModelOptions model;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "eval", description = "Report folder (default: eval).")
    Path out;

    @Override
    public Settings configure(Settings settings) {
        return model.configure(settings);
    }

    @Override
    public int run(Services services) throws IOException {
        if (seeds < 1 || seeds > 100) {
            throw new InvalidInputException("--seeds must be between 1 and 100, got " + seeds);
        }
        if (!List.of("all", "ablations", "modes").contains(only)) {
            throw new InvalidInputException("--only must be all, ablations or modes");
        }
        List<Evaluation.PromptGroup> baked = prompts != null
                ? List.of(new Evaluation.PromptGroup("custom", readPrompts(prompts)))
                : List.of(new Evaluation.PromptGroup("single shape", ToyPromptSet.SINGLE_SHAPE),
                        new Evaluation.PromptGroup("two shapes", ToyPromptSet.TWO_SHAPES));
        String ablationPreset = preset != null ? preset : services.settings().dream().preset();
        Evaluation evaluation = new Evaluation(services.oven(), new ToyJudge());
        List<Evaluation.Dream> dreams = new ArrayList<>();
        if (!only.equals("modes")) {
            dreams.addAll(run(evaluation, Evaluation.ablations(ablationPreset), baked));
        }
        if (!only.equals("ablations")) {
            List<Evaluation.Config> modes = Evaluation.modes(modesPreset);
            dreams.addAll(run(evaluation, modes.subList(0, 2), baked));
            List<Evaluation.PromptGroup> unseen = List.of(new Evaluation.PromptGroup("unseen", UNSEEN));
            dreams.addAll(run(evaluation, List.of(modes.get(0), modes.get(2)), unseen));
        }
        List<Evaluation.Row> rows = Evaluation.table(dreams);
        String table = table(rows);
        System.out.print(table);
        Files.createDirectories(out);
        AtomicFiles.write(out.resolve("eval.md"), table.getBytes(StandardCharsets.UTF_8));
        writePng(out.resolve("chart.png"), chart(rows));
        writePng(out.resolve("sheet.png"), sheet(dreams));
        String headline = only.equals("modes") ? Evaluation.modes(modesPreset).get(0).name() : "default";
        List<Evaluation.Dream> counted = dreams.stream().filter(d -> d.config().equals(headline)).toList();
        System.out.printf(Locale.ROOT, "eval: fidelity %.1f%% over %d dreams%n",
                100 * Evaluation.fidelity(counted, headline), counted.size());
        return 0;
    }

    private List<Evaluation.Dream> run(Evaluation evaluation, List<Evaluation.Config> configs,
            List<Evaluation.PromptGroup> groups) {
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("eval").setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
                .setInitialMax(1).build()) {
            return evaluation.run(configs, groups, seeds, (d, done, total) -> {
                bar.maxHint(total);
                bar.stepTo(done);
                bar.setExtraMessage(d.config() + (d.passed() ? " pass" : " fail"));
            });
        }
    }

    static String table(List<Evaluation.Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("| configuration | prompts | dreams | fidelity | mean similarity | cheat rate | modes used |\n");
        sb.append("|---|---|---:|---:|---:|---:|---|\n");
        for (Evaluation.Row r : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %.1f%% | %.4f | %.0f%% | %s |%n", r.config(),
                    r.group(), r.dreams(), 100 * r.fidelity(), r.meanSimilarity(), 100 * r.cheatRate(), r.modes()));
        }
        return sb.toString();
    }

    private static BufferedImage chart(List<Evaluation.Row> rows) {
        LinkedHashSet<String> configs = new LinkedHashSet<>();
        LinkedHashSet<String> groups = new LinkedHashSet<>();
        rows.forEach(r -> {
            configs.add(r.config());
            groups.add(r.group());
        });
        List<String> labels = List.copyOf(configs);
        List<double[]> series = new ArrayList<>();
        for (String g : groups) {
            double[] v = new double[labels.size()];
            for (Evaluation.Row r : rows) {
                if (r.group().equals(g)) {
                    v[labels.indexOf(r.config())] = r.fidelity();
                }
            }
            series.add(v);
        }
        return Charts.barChart("Judged fidelity", labels, series, List.copyOf(groups));
    }

    private static BufferedImage sheet(List<Evaluation.Dream> dreams) {
        List<RgbImage> pictures = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        for (Evaluation.Dream d : dreams) {
            if (d.seed() == 1 && (d.config().equals("default") || d.config().contains("@"))) {
                pictures.add(d.picture());
                captions.add((d.passed() ? "✓ " : "✗ ") + d.config() + ": " + d.prompt());
            }
        }
        return Charts.contactSheet(pictures, captions, 6, 2);
    }

    private static void writePng(Path file, BufferedImage image) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "png", bytes);
        AtomicFiles.write(file, bytes.toByteArray());
    }

    private static List<String> readPrompts(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
            if (lines.isEmpty()) {
                throw new InvalidInputException("no prompts in " + file);
            }
            return lines;
        } catch (IOException e) {
            throw new InvalidInputException("cannot read prompts " + file + ": " + e.getMessage());
        }
    }
}
