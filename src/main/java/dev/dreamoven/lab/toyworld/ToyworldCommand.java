package dev.dreamoven.lab.toyworld;

import dev.dreamoven.cli.AppCommand;
import dev.dreamoven.cli.Services;

import ai.djl.ndarray.NDManager;
import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.clip.LoadedClip;
import dev.dreamoven.settings.Settings;
import dev.dreamoven.clip.Safetensors;
import dev.dreamoven.image.PngFiles;
import dev.dreamoven.lab.toyworld.Sample;
import dev.dreamoven.lab.toyworld.ToyClipEvaluation;
import dev.dreamoven.lab.toyworld.ToyClipSettings;
import dev.dreamoven.lab.toyworld.ToyClipTrainer;
import dev.dreamoven.lab.toyworld.ToyVocabulary;
import dev.dreamoven.lab.toyworld.ToyWorld;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code toyworld train} and {@code toyworld sample}: the project's own small CLIP and its world. */
@Command(name = "toyworld", mixinStandardHelpOptions = true,
        description = "The toy world of coloured shapes: train its small CLIP, evaluate and diagnose a model, or write "
                + "sample pictures.",
        subcommands = {ToyworldCommand.Train.class, ToyworldCommand.Evaluate.class, ToyworldCommand.Diagnose.class,
            ToyworldCommand.SampleCommand.class})
public final class ToyworldCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Train the toy-world CLIP (the shipped model 'shapes' is this command with its defaults).")
    static final class Train implements AppCommand {

        @Spec
        CommandSpec spec;

        @Option(names = "--out", required = true, paramLabel = "DIR",
                description = "Folder for model.safetensors and vocab.txt.gz.")
        Path out;

        @Option(names = "--steps", paramLabel = "N", description = "Optimizer steps (default: ${DEFAULT-VALUE}).")
        int steps = ToyClipSettings.shipped().steps();

        @Option(names = "--batch", paramLabel = "N", description = "Image-caption pairs per step (default: ${DEFAULT-VALUE}).")
        int batch = ToyClipSettings.shipped().batch();

        @Option(names = "--seed", paramLabel = "N", description = "Seed of weights and batches (default: ${DEFAULT-VALUE}).")
        long seed = ToyClipSettings.shipped().seed();

        @Option(names = "--eval-every", paramLabel = "N",
                description = "Steps between held-out evaluations, 0 for the end only (default: ${DEFAULT-VALUE}).")
        int evalEvery = ToyClipSettings.shipped().evalEvery();

        @Option(names = "--lr", paramLabel = "X", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
        double lr = ToyClipSettings.shipped().peakLearningRate();

        @Option(names = "--patch", paramLabel = "N",
                description = "Side of the image tower's patches in pixels, a divisor of 64 (default: ${DEFAULT-VALUE}).")
        int patch = ToyClipSettings.shipped().patchSize();

        @Option(names = "--full-captions", paramLabel = "SHARE",
                description = "Share (0..1) of training captions that name every attribute (default: ${DEFAULT-VALUE}).")
        double fullCaptions = ToyClipSettings.shipped().fullCaptionShare();

        @Option(names = "--from", paramLabel = "FILE",
                description = "Start from these weights (a model.safetensors of the same architecture) "
                        + "instead of a fresh seeded init.")
        Path from;

        @Override
        public int run(Services services) throws IOException {
            if (steps < 1 || batch < 2 || evalEvery < 0) {
                throw new InvalidInputException("--steps must be at least 1, --batch at least 2, --eval-every 0 or more");
            }
            ToyClipSettings settings = ToyClipSettings.shipped().withSteps(steps).withBatch(batch).withSeed(seed)
                    .withEvalEvery(evalEvery).withLearningRate(lr).withPatchSize(patch)
                    .withFullCaptionShare(fullCaptions);
            PrintWriter stdout = spec.commandLine().getOut();
            services.startTorch();
            long started = System.nanoTime();
            try (NDManager root = NDManager.newBaseManager("PyTorch");
                    ToyClipTrainer trainer = new ToyClipTrainer(settings, ToyVocabulary.worldMerges(), start(), root);
                    ProgressBar bar = new ProgressBarBuilder().setTaskName("train").setInitialMax(settings.steps())
                            .setStyle(ProgressBarStyle.ASCII).setUnit(" steps", 1).showSpeed()
                            .setConsumer(new ConsoleProgressBarConsumer(System.err)).build()) {
                if (from != null) {
                    Map<String, String> before = Safetensors.read(from).metadata();
                    trainer.describeStart(from.getFileName() + " (" + before.getOrDefault("training_steps", "?")
                            + " steps, seed " + before.getOrDefault("training_seed", "?") + ", peak lr "
                            + before.getOrDefault("training_peak_lr", "?") + ", started from "
                            + before.getOrDefault("training_started_from", "?") + ")");
                }
                stdout.printf(Locale.ROOT, "training %s: %s, vocabulary %d tokens, %d steps of %d pairs, seed %d%n",
                        ToyClipTrainer.MODEL_ID, trainer.model().config(), trainer.tokenizer().vocabSize(),
                        settings.steps(), settings.batch(), settings.seed());
                stdout.flush();
                double[] best = {-1};
                ToyClipEvaluation.Accuracy accuracy = trainer.train(new ToyClipTrainer.Listener() {
                    @Override
                    public void onStep(ToyClipTrainer.StepResult r) {
                        bar.stepTo(r.step());
                        bar.setExtraMessage(String.format(Locale.ROOT, " loss %.3f lr %.2e T %.1f |g| %.2f skipped %d",
                                r.loss(), r.learningRate(), r.logitScale(), r.gradNorm(), r.skipped()));
                    }

                    @Override
                    public void onEvaluation(int step, ToyClipEvaluation.Accuracy a) {
                        double seconds = (System.nanoTime() - started) / 1e9;
                        stdout.printf(Locale.ROOT, "step %d (%.0f s, %.2f steps/s): held-out %s%n", step, seconds,
                                step / seconds, a);
                        printDistances(stdout, trainer.model(), trainer.tokenizer(), root);
                        stdout.flush();
                        // The best model so far stays on disk, so a run cut short still leaves one.
                        if (step < settings.steps() && a.textToImage() > best[0]
                                && Double.isFinite(trainer.model().logitScale())) {
                            best[0] = a.textToImage();
                            saveQuietly(trainer, a, seconds);
                        }
                    }
                });
                double seconds = (System.nanoTime() - started) / 1e9;
                trainer.save(out, accuracy, seconds);
                stdout.printf(Locale.ROOT, "held-out zero-shot accuracy, %d-way: %s%n",
                        ToyClipSettings.EVAL_GROUP_SIZE, accuracy);
                stdout.printf(Locale.ROOT, "wrote %s and %s in %.0f s%n", out.resolve("model.safetensors"),
                        out.resolve("vocab.txt.gz"), seconds);
            }
            return 0;
        }

        private Map<String, Safetensors.Tensor> start() throws IOException {
            if (from == null) {
                return null;
            }
            if (!Files.isRegularFile(from)) {
                throw new InvalidInputException("--from " + from + " does not exist");
            }
            return Safetensors.read(from).tensors();
        }

        private void saveQuietly(ToyClipTrainer trainer, ToyClipEvaluation.Accuracy a, double seconds) {
            try {
                trainer.save(out, a, seconds);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot write the model to " + out, e);
            }
        }
    }

    /** The text-embedding distances of {@link ToyClipEvaluation#CONTRAST_PAIRS}, one line. */
    static void printDistances(PrintWriter out, dev.dreamoven.clip.ClipModel model,
            dev.dreamoven.clip.ClipTokenizer tokenizer, NDManager manager) {
        double[] d = ToyClipEvaluation.textDistances(model, tokenizer, ToyClipEvaluation.CONTRAST_PAIRS, manager);
        StringBuilder line = new StringBuilder("text distances:");
        for (int i = 0; i < d.length; i++) {
            List<String> pair = ToyClipEvaluation.CONTRAST_PAIRS.get(i);
            line.append(String.format(Locale.ROOT, "%n  %.3f  \"%s\" vs \"%s\"", d[i], pair.get(0), pair.get(1)));
        }
        out.println(line);
        out.flush();
    }

    @Command(name = "evaluate", mixinStandardHelpOptions = true,
            description = {"Figures of a toy-world model: held-out accuracy (64-way and hard 4-way), pictures one "
                    + "attribute apart, true renders of the evaluation prompts, caption distances, and two gates:",
                "shape only: per size, the 4 renders of a scene that differ only in the shape's kind, each full "
                    + "caption picking its render (text→image) and each render its caption (image→text); a guide "
                    + "under 90% cannot draw shapes;",
                "true renders vs dreams: the mean cosine of true renders of each prompt against that of its dreams "
                    + "(made here with --dream-preset, guided by this model, or read from eval's --out folders with "
                    + "--dreams); the gate holds when the dreams the judge rejects score below the truth."})
    static final class Evaluate implements AppCommand {

        /** The shape-only figures a guide needs before it is worth dreaming with. */
        static final double SHAPE_ONLY_GATE = 0.9;

        @Spec
        CommandSpec spec;

        @Option(names = "--model", paramLabel = "DIR",
                description = "Folder with model.safetensors and vocab.txt.gz (default: the shipped model).")
        Path model;

        @Option(names = "--groups", paramLabel = "N", description = "64-picture groups (default: ${DEFAULT-VALUE}).")
        int groups = 4;

        @Option(names = "--scenes", paramLabel = "N",
                description = "Scenes a size in the shape-only test (default: ${DEFAULT-VALUE}).")
        int scenes = 96;

        @Option(names = "--dreams", paramLabel = "DIR", arity = "1..*",
                description = "eval's --out folders (all shards): compare their dreams of the first configuration "
                        + "instead of dreaming here.")
        List<Path> dreams;

        @Option(names = "--dream-preset", paramLabel = "P",
                description = "Preset of the dreams made here, or none (default: ${DEFAULT-VALUE}).")
        String dreamPreset = "draft";

        @Option(names = "--dream-seeds", paramLabel = "N",
                description = "Dreams made here per evaluation prompt (default: ${DEFAULT-VALUE}).")
        int dreamSeeds = 1;

        @Override
        public Settings configure(Settings settings) {
            if (model == null) {
                return settings;
            }
            Path vocab = model.resolve("vocab.txt.gz");
            Settings.Model m = settings.model().withCheckpoint(model.resolve("model.safetensors").toString());
            return settings.withModel(Files.isRegularFile(vocab) ? m.withVocab(vocab)
                    : new Settings.Model(m.checkpoint(), java.util.Optional.empty(), m.name(), m.cache(),
                            m.downloadUrl(), m.vocabUrl(), m.extraModels()));
        }

        @Override
        public int run(Services services) throws IOException {
            if (groups < 1 || groups > 100 || scenes < 1 || scenes > 10_000 || dreamSeeds < 1 || dreamSeeds > 100) {
                throw new InvalidInputException("--groups must be between 1 and 100, --scenes between 1 and 10000, "
                        + "--dream-seeds between 1 and 100");
            }
            if (model != null && !Files.isRegularFile(model.resolve("model.safetensors"))) {
                throw new InvalidInputException("no model.safetensors in " + model);
            }
            boolean dreamHere = dreams == null && !dreamPreset.equals("none");
            if (dreamHere) {
                dev.dreamoven.dream.DreamSettings.preset(dreamPreset);
            }
            services.startTorch();
            PrintWriter stdout = spec.commandLine().getOut();
            ToyWorld world = new ToyWorld();
            try (NDManager root = NDManager.newBaseManager("PyTorch");
                    LoadedClip loaded = ToyModels.open(model, java.util.Optional.empty(), root)) {
                dev.dreamoven.clip.ClipModel clip = loaded.model();
                dev.dreamoven.clip.ClipTokenizer tokenizer = loaded.tokenizer();
                ToyClipEvaluation.Accuracy a = ToyClipEvaluation.evaluate(clip, tokenizer, world, groups,
                        ToyClipSettings.EVAL_GROUP_SIZE, root);
                stdout.printf(Locale.ROOT, "held-out %s%n", a);
                stdout.printf(Locale.ROOT, "one attribute apart: %s%n", ToyClipEvaluation.attributeAccuracy(clip,
                        tokenizer, world, 24, root));
                stdout.printf(Locale.ROOT, "true renders of the eval prompts vs the prompt (cosine; compare the "
                        + "dreams' mean similarity in eval): single shapes %.3f, two shapes %.3f%n",
                        ToyClipEvaluation.trueRenderSimilarity(clip, tokenizer, world, ToyPromptSet.SINGLE_SHAPE, 16, root),
                        ToyClipEvaluation.trueRenderSimilarity(clip, tokenizer, world, ToyPromptSet.TWO_SHAPES, 16, root));
                printDistances(stdout, clip, tokenizer, root);
                ToyClipEvaluation.ShapeOnly shapeOnly = ToyClipEvaluation.shapeOnly(clip, tokenizer, world, scenes, root);
                stdout.printf(Locale.ROOT, "shape only (renders that differ only in kind): %s; gate >= %.0f%%: %s%n",
                        shapeOnly, 100 * SHAPE_ONLY_GATE, shapeOnly.passes(SHAPE_ONLY_GATE) ? "pass" : "fail");
                stdout.flush();
                if (dreams != null || dreamHere) {
                    List<DreamGate.Dream> made = dreams != null ? fromEval(dreams, stdout) : dreamHere(services, stdout);
                    stdout.print(DreamGate.report(DreamGate.measure(loaded, made, 16, root)));
                }
            }
            stdout.flush();
            return 0;
        }

        /** The dreams of the first configuration of a finished eval. */
        private static List<DreamGate.Dream> fromEval(List<Path> dirs, PrintWriter stdout) throws IOException {
            dev.dreamoven.lab.eval.EvalRecords.Merged merged = dev.dreamoven.lab.eval.EvalRecords.merge(dirs);
            String config = merged.dreams().get(0).config();
            List<DreamGate.Dream> out = new ArrayList<>();
            for (dev.dreamoven.lab.eval.Evaluation.Dream d : merged.dreams()) {
                if (d.config().equals(config)) {
                    out.add(new DreamGate.Dream(d.group(), d.prompt(), dev.dreamoven.lab.eval.EvalRecords
                            .readPicture(merged.pictures().get(d.index())).orElseThrow(() -> new InvalidInputException(
                                    "the picture of dream " + d.index() + " is missing")), d.passed()));
                }
            }
            stdout.printf(Locale.ROOT, "true renders vs dreams (eval's '%s' dreams in %s; cosine of each output to "
                    + "its prompt under this model):%n", config, dirs);
            return out;
        }

        /** {@code --dream-seeds} normal dreams of each evaluation prompt, guided by this model, judged. */
        private List<DreamGate.Dream> dreamHere(Services services, PrintWriter stdout) {
            dev.dreamoven.bake.Oven oven = services.oven();
            ToyJudge judge = new ToyJudge();
            List<DreamGate.Dream> out = new ArrayList<>();
            for (List<String> group : List.of(ToyPromptSet.SINGLE_SHAPE, ToyPromptSet.TWO_SHAPES)) {
                for (String prompt : group) {
                    for (int seed = 1; seed <= dreamSeeds; seed++) {
                        dev.dreamoven.image.RgbImage picture = oven.cook(new dev.dreamoven.dream.DreamRequest(prompt,
                                List.of(), 0, 0, seed, dreamPreset, null, 0, dev.dreamoven.dream.DreamRequest.Mode.NORMAL),
                                dev.dreamoven.dream.DreamListener.NONE).pixelArt();
                        out.add(new DreamGate.Dream(group == ToyPromptSet.SINGLE_SHAPE ? "single shape" : "two shapes",
                                prompt, picture, judge.judge(picture, ToyPrompt.parse(prompt).orElseThrow()).passed()));
                    }
                }
            }
            stdout.printf(Locale.ROOT, "true renders vs dreams (%s dreams made here, %d a prompt; cosine of each output "
                    + "to its prompt):%n", dreamPreset, dreamSeeds);
            return out;
        }
    }

    @Command(name = "diagnose", mixinStandardHelpOptions = true,
            description = "Can a guide lead a dream to the truth? For true renders of one-shape prompts: the rank of "
                    + "the truth's similarity among near-misses (each other kind in its place, a smaller second copy "
                    + "elsewhere, a 24 px size between the world's two, shifted 5 px, cut by the edge), the margin "
                    + "(truth minus the best near-miss), how often each kind of near-miss beats the truth, and the "
                    + "cosine between the guide's pixel gradient at each near-miss and the way to the truth.")
    static final class Diagnose implements AppCommand {

        @Spec
        CommandSpec spec;

        @Option(names = "--model", paramLabel = "DIR",
                description = "Folder with model.safetensors (and vocab.txt.gz), or a model file (default: the shipped model).")
        Path model;

        @Option(names = "--renders", paramLabel = "N", description = "True renders a prompt (default: ${DEFAULT-VALUE}).")
        int renders = 4;

        @Option(names = "--prompts", paramLabel = "FILE",
                description = "One-shape prompts, one a line (default: the 12 single-shape evaluation prompts).")
        Path prompts;

        @Override
        public int run(Services services) throws IOException {
            if (renders < 1 || renders > 1000) {
                throw new InvalidInputException("--renders must be between 1 and 1000");
            }
            List<String> list = prompts == null ? ToyPromptSet.SINGLE_SHAPE : ToyPromptSet.read(prompts);
            services.startTorch();
            PrintWriter stdout = spec.commandLine().getOut();
            try (NDManager root = NDManager.newBaseManager("PyTorch");
                    LoadedClip guide = ToyModels.open(model, java.util.Optional.empty(), root)) {
                List<ToyDiagnosis.Case> cases = ToyDiagnosis.run(guide, list, renders, root);
                stdout.printf(Locale.ROOT, "diagnose %s: %d prompts × %d renders, each against %d near-misses%n",
                        guide.model().id(), list.size(), renders, cases.get(0).nearMisses().size());
                stdout.print(ToyDiagnosis.report(cases));
            }
            stdout.flush();
            return 0;
        }
    }

    @Command(name = "sample", mixinStandardHelpOptions = true,
            description = "Write toy-world pictures as PNG files with their captions (captions.txt).")
    static final class SampleCommand implements AppCommand {

        @Spec
        CommandSpec spec;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the PNGs.")
        Path out;

        @Option(names = "--count", paramLabel = "N", description = "Pictures (default: ${DEFAULT-VALUE}).")
        int count = 16;

        @Option(names = "--seed", paramLabel = "N", description = "Seed (default: ${DEFAULT-VALUE}).")
        long seed = 0;

        @Override
        public int run(Services services) throws IOException {
            if (count < 1 || count > 100_000) {
                throw new InvalidInputException("--count must be between 1 and 100000");
            }
            Files.createDirectories(out);
            List<Sample> samples = new ToyWorld().samples(seed, count);
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < samples.size(); i++) {
                String name = String.format(Locale.ROOT, "sample-%05d.png", i);
                Sample s = samples.get(i);
                PngFiles.write(out.resolve(name), s.image(), Map.of("Description", s.caption()));
                lines.add(name + "\t" + s.caption() + "\t" + ToyClipEvaluation.fullCaption(s.scene()));
            }
            Files.write(out.resolve("captions.txt"), lines, StandardCharsets.UTF_8);
            spec.commandLine().getOut().printf(Locale.ROOT, "wrote %d pictures and captions.txt to %s%n", count, out);
            return 0;
        }
    }
}
