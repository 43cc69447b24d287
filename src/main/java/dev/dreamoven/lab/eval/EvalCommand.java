package dev.dreamoven.lab.eval;

import ai.djl.ndarray.NDManager;
import dev.dreamoven.bake.Oven;
import dev.dreamoven.cli.AppCommand;
import dev.dreamoven.cli.DreamOptions;
import dev.dreamoven.cli.Services;
import dev.dreamoven.clip.LoadedClip;
import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.dream.PictureSimilarity;
import dev.dreamoven.image.AtomicFiles;
import dev.dreamoven.image.Charts;
import dev.dreamoven.image.RgbImage;
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
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code eval}: judged fidelity of dreams on the toy world, per configuration and mode, in shards if need be. */
@Command(name = "eval", mixinStandardHelpOptions = true, subcommands = EvalCommand.Merge.class,
        description = {"Dream prompt sets with fixed seeds and let the strict model-free judge score each picture. "
                + "Rows (at least --dreams each): the dream settings as given (the evaluation prompts: single shapes "
                + "and relations, and prompts of the world's grammar outside the set: unseen); for a free-pixel preset "
                + "(pixels-draft, pixels, pixels-best) each regularizer off in turn and no augmentation; normal vs "
                + "microwave (baked prompts) and normal vs auto-microwave (unseen prompts) at the --modes-preset budget.",
            "Per row: judged rate ± standard error, background and shape colours right, the guide's mean "
                + "similarity, a held-out evaluator's (--evaluator), and pixel-art measures of the outputs at their "
                + "own size: colours (max), isolated pixels (max), neighbour pairs alike (min).",
            "Writes DIR/eval.md, chart.png, sheet.png, and every dream (dreams-*.jsonl, pictures/). With "
                + "--shard I/N only every N-th dream is made (run the N shards anywhere, then 'eval merge DIR...'); "
                + "a stopped shard resumes where it stopped."})
public final class EvalCommand implements AppCommand {

    @Option(names = "--prompts", paramLabel = "FILE",
            description = "Prompts to evaluate, one a line, instead of the evaluation and unseen sets.")
    Path prompts;

    @Option(names = "--dreams", paramLabel = "N", defaultValue = "96",
            description = "Dreams a row at least: seeds per prompt = N / prompts, rounded up (default: 96).")
    int dreams;

    @Option(names = "--seeds", paramLabel = "N", description = "Seeds per prompt instead (1-1000).")
    Integer seeds;

    @Option(names = "--modes-preset", paramLabel = "P", defaultValue = "draft",
            description = "Budget of the mode comparison (default: draft).")
    String modesPreset;

    @Option(names = "--only", paramLabel = "PART", defaultValue = "all",
            description = "all (default), default (the settings as given), ablations (with the default row) or modes.")
    String only;

    @Mixin
    DreamOptions dream;

    @Option(names = "--evaluator", paramLabel = "FILE",
            description = "A held-out CLIP (a model.safetensors, or a folder from 'toyworld train') whose cosine of "
                    + "each output to its prompt is reported beside the guide's.")
    Path evaluator;

    @Option(names = "--evaluator-vocab", paramLabel = "FILE",
            description = "The evaluator's vocabulary (default: vocab.txt.gz beside it, else the shipped one).")
    Path evaluatorVocab;

    @Option(names = "--shard", paramLabel = "I/N", description = "Make only shard I of N (1 <= I <= N) of the dreams.")
    String shard;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "eval", description = "Report folder (default: eval).")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Settings configure(Settings settings) {
        return dream.configure(settings);
    }

    @Override
    public int run(Services services) throws IOException {
        int[] part = parseShard(shard);
        if (seeds != null && (seeds < 1 || seeds > 1000)) {
            throw new InvalidInputException("--seeds must be between 1 and 1000, got " + seeds);
        }
        if (dreams < 1 || dreams > 100_000) {
            throw new InvalidInputException("--dreams must be between 1 and 100000, got " + dreams);
        }
        if (!List.of("all", "default", "ablations", "modes").contains(only)) {
            throw new InvalidInputException("--only must be all, default, ablations or modes");
        }
        dream.validate();
        dev.dreamoven.dream.DreamSettings.preset(modesPreset);
        if (evaluator != null && !Files.exists(evaluator)) {
            throw new InvalidInputException("--evaluator " + evaluator + " does not exist");
        }
        List<Evaluation.Part> parts = parts(services.settings().dream().preset());
        PrintWriter stdout = spec.commandLine().getOut();
        Oven oven = services.oven();
        try (NDManager root = NDManager.newBaseManager("PyTorch");
                LoadedClip held = evaluator == null ? null
                        : ToyModels.open(evaluator, Optional.ofNullable(evaluatorVocab), root)) {
            Evaluation evaluation = new Evaluation(oven,
                    (prompt, seed, preset, mode) -> dream.recipe(oven, dream.request(prompt, mode, seed, preset)),
                    new ToyJudge(), Optional.ofNullable(held).map(EvalCommand::evaluatorOf));
            List<Evaluation.Job> jobs = evaluation.plan(parts,
                    g -> seeds != null ? seeds : (dreams + g.prompts().size() - 1) / g.prompts().size());
            EvalRecords records = EvalRecords.open(out, new EvalRecords.Shard(part[0], part[1], jobs.size(), args()));
            List<Evaluation.Dream> made = new ArrayList<>(records.done());
            Set<Integer> done = made.stream().map(Evaluation.Dream::index).collect(Collectors.toSet());
            List<Evaluation.Job> todo = Evaluation.shard(jobs, part[0], part[1]).stream()
                    .filter(j -> !done.contains(j.index())).toList();
            if (!done.isEmpty()) {
                stdout.printf(Locale.ROOT, "eval: resuming shard %d/%d in %s: %d dreams done, %d to make%n",
                        part[0], part[1], out, done.size(), todo.size());
                stdout.flush();
            }
            made.addAll(records.make(evaluation, todo, "eval", d -> d.config() + (d.passed() ? " pass" : " fail")));
            if (part[1] == 1) {
                report(EvalRecords.merge(List.of(out)), out, stdout);
            } else {
                made.sort(java.util.Comparator.comparingInt(Evaluation.Dream::index));
                stdout.print(table(Evaluation.table(made)));
                stdout.printf(Locale.ROOT, "eval: shard %d/%d: %d dreams in %s; when all %d shards are done: "
                        + "eval merge DIR...%n", part[0], part[1], made.size(), out, part[1]);
            }
        }
        stdout.flush();
        return 0;
    }

    /** The held-out evaluator's cosine of a picture to a prompt (text embeddings kept). */
    public static Evaluation.Evaluator evaluatorOf(LoadedClip clip) {
        PictureSimilarity similarity = new PictureSimilarity(clip.model());
        Map<String, float[]> texts = new HashMap<>();
        return (picture, prompt) -> similarity.cosine(picture,
                texts.computeIfAbsent(prompt, p -> clip.embedTexts(List.of(p))[0]));
    }

    /** The rows asked by {@code --only}, each config with its groups. */
    private List<Evaluation.Part> parts(String configuredPreset) {
        String preset = dream.presetOr(configuredPreset);
        List<Evaluation.PromptGroup> evaluation;
        List<Evaluation.PromptGroup> unseen;
        if (prompts != null) {
            evaluation = List.of(new Evaluation.PromptGroup("custom", ToyPromptSet.read(prompts)));
            unseen = evaluation;
        } else {
            evaluation = List.of(new Evaluation.PromptGroup("single shape", ToyPromptSet.SINGLE_SHAPE),
                    new Evaluation.PromptGroup("two shapes", ToyPromptSet.TWO_SHAPES));
            unseen = List.of(new Evaluation.PromptGroup("unseen single shape", ToyPromptSet.UNSEEN_SINGLE_SHAPE),
                    new Evaluation.PromptGroup("unseen two shapes", ToyPromptSet.UNSEEN_TWO_SHAPES));
        }
        List<Evaluation.PromptGroup> all = new ArrayList<>(new LinkedHashSet<>(concat(evaluation, unseen)));
        List<Evaluation.Part> parts = new ArrayList<>();
        if (only.equals("all") || only.equals("default")) {
            parts.add(new Evaluation.Part(Evaluation.asAsked(preset), all));
        }
        if (only.equals("all") || only.equals("ablations")) {
            parts.add(new Evaluation.Part(Evaluation.asAsked(preset), evaluation));
            Evaluation.ablations(preset).forEach(c -> parts.add(new Evaluation.Part(c, evaluation)));
        }
        if (only.equals("all") || only.equals("modes")) {
            List<Evaluation.Config> modes = Evaluation.modes(modesPreset);
            parts.add(new Evaluation.Part(modes.get(0), evaluation));
            parts.add(new Evaluation.Part(modes.get(1), evaluation));
            parts.add(new Evaluation.Part(modes.get(0), unseen));
            parts.add(new Evaluation.Part(modes.get(2), unseen));
        }
        return parts;
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** {@code I/N} → {I, N}; no shard is 1/1. */
    static int[] parseShard(String text) {
        if (text == null) {
            return new int[] {1, 1};
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,4})/(\\d{1,4})").matcher(text.strip());
        if (!m.matches() || Integer.parseInt(m.group(1)) < 1 || Integer.parseInt(m.group(1)) > Integer.parseInt(m.group(2))) {
            throw new InvalidInputException("--shard must be I/N with 1 <= I <= N, got '" + text + "'");
        }
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }

    /** What defines the evaluation: every option given except where this shard runs and writes. */
    private List<String> args() {
        List<String> args = new ArrayList<>();
        for (OptionSpec o : spec.commandLine().getParseResult().matchedOptions()) {
            if (!o.longestName().equals("--shard") && !o.longestName().equals("--out")) {
                args.add(o.longestName() + "=" + String.join(",", o.originalStringValues()));
            }
        }
        args.sort(null);
        return args;
    }

    /** The table, chart and contact sheet of merged dreams, in {@code dir} and on {@code stdout}. */
    static void report(EvalRecords.Merged merged, Path dir, PrintWriter stdout) throws IOException {
        List<Evaluation.Row> rows = Evaluation.table(merged.dreams());
        String table = table(rows);
        stdout.print(table);
        Files.createDirectories(dir);
        AtomicFiles.write(dir.resolve("eval.md"), table.getBytes(StandardCharsets.UTF_8));
        writePng(dir.resolve("chart.png"), chart(rows));
        writePng(dir.resolve("sheet.png"), sheet(merged));
        String headline = rows.get(0).config();
        stdout.printf(Locale.ROOT, "eval: %s: %s%n", headline, rows.stream().filter(r -> r.config().equals(headline))
                .map(r -> String.format(Locale.ROOT, "%s %.1f%% ± %.1f of %d", r.group(), 100 * r.fidelity(),
                        100 * r.standardError(), r.dreams()))
                .collect(Collectors.joining(", ")));
    }

    static String table(List<Evaluation.Row> rows) {
        boolean evaluated = rows.stream().anyMatch(r -> Double.isFinite(r.meanEvaluatorSimilarity()));
        StringBuilder sb = new StringBuilder();
        sb.append("| configuration | prompts | dreams | judged | colours right | guide similarity |")
                .append(evaluated ? " evaluator similarity |" : "")
                .append(" colours (max) | isolated (max) | alike (min) | modes used |\n");
        sb.append("|---|---|---:|---:|---:|---:|").append(evaluated ? "---:|" : "").append("---:|---:|---:|---|\n");
        for (Evaluation.Row r : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %.1f%% ± %.1f | %.1f%% | %.4f |", r.config(), r.group(),
                    r.dreams(), 100 * r.fidelity(), 100 * r.standardError(), 100 * r.coloursRate(), r.meanSimilarity()));
            if (evaluated) {
                sb.append(String.format(Locale.ROOT, " %.4f |", r.meanEvaluatorSimilarity()));
            }
            sb.append(String.format(Locale.ROOT, " %d | %.1f%% | %.1f%% | %s |%n", r.maxColours(), 100 * r.maxIsolated(),
                    100 * r.minAlike(), r.modes()));
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

    /** Seed 1 of every prompt of the default and mode rows. */
    private static BufferedImage sheet(EvalRecords.Merged merged) {
        List<RgbImage> pictures = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        for (Evaluation.Dream d : merged.dreams()) {
            if (d.seed() == 1 && (d.config().equals("default") || d.config().contains("@"))) {
                Optional<RgbImage> picture = EvalRecords.readPicture(merged.pictures().get(d.index()));
                if (picture.isPresent()) {
                    pictures.add(picture.get());
                    captions.add((d.passed() ? "✓ " : "✗ ") + d.config() + ": " + d.prompt());
                }
            }
        }
        return Charts.contactSheet(pictures, captions, 6, 2);
    }

    private static void writePng(Path file, BufferedImage image) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "png", bytes);
        AtomicFiles.write(file, bytes.toByteArray());
    }

    /** {@code eval merge DIR...}: the report of shards made apart. */
    @Command(name = "merge", mixinStandardHelpOptions = true,
            description = "Merge the shards of one evaluation (every shard-I-of-N.json found in the folders) into "
                    + "its table, chart and contact sheet.")
    static final class Merge implements AppCommand {

        @Parameters(arity = "1..*", paramLabel = "DIR", description = "Folders the shards wrote (their --out).")
        List<Path> dirs;

        @Option(names = "--out", paramLabel = "DIR", description = "Report folder (default: the first DIR).")
        Path out;

        @Spec
        CommandSpec spec;

        @Override
        public int run(Services services) throws IOException {
            PrintWriter stdout = spec.commandLine().getOut();
            report(EvalRecords.merge(dirs), out != null ? out : dirs.get(0), stdout);
            stdout.flush();
            return 0;
        }
    }
}
