package dev.dreamoven.bake;

import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.clip.ClipEnsemble;
import dev.dreamoven.clip.LoadedClip;
import dev.dreamoven.dream.DreamListener;
import dev.dreamoven.dream.DreamRequest;
import dev.dreamoven.dream.DreamResult;
import dev.dreamoven.dream.DreamSettings;
import dev.dreamoven.dream.Dreamer;
import dev.dreamoven.dream.GuidePlan;
import dev.dreamoven.dream.PromptTargets;
import dev.dreamoven.dream.GuideTarget;
import dev.dreamoven.dream.PictureSimilarity;
import dev.dreamoven.image.Palette;
import dev.dreamoven.image.PixelArt;
import dev.dreamoven.image.PngFiles;
import dev.dreamoven.image.RgbImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Where a {@link DreamRequest} becomes pixel art, the same for the command line, the Discord render
 * worker and the evaluation: validate everything first ({@link #prepare}), then plan (microwave /
 * auto-microwave / normal, {@link Planner}), dream, and make the pixel art. It owns no thread; the
 * caller runs one request at a time per model.
 */
public final class Oven {

    /** Largest nearest-neighbour upscale of the output. */
    public static final int MAX_SCALE = DreamRequest.MAX_SCALE;

    /**
     * Defaults for what a request leaves open, from configuration.
     *
     * @param autoPathWeight weight of the mean baked path in auto-microwave (0.3 in the original)
     * @param negativeWeight how strongly negative prompts repel
     * @param splice auto-microwave picks one of the two paths per stage instead of their mean
     * @param microwaveLerp microwave blends every stage toward the prompt by this much (0 = path alone)
     */
    public record Defaults(String preset, int size, int scale, String palette, double autoPathWeight,
            double negativeWeight, boolean splice, double microwaveLerp) {
    }

    /**
     * A validated request with everything resolved, ready to cook.
     *
     * @param extraTargets CLIPig-style targets added to every stage (e.g. a select-best group of details)
     */
    public record Recipe(DreamRequest request, DreamSettings settings, Palette palette, int scale,
            float[] prompt, List<float[]> negatives, List<GuideTarget> extraTargets) {
        public Recipe {
            negatives = List.copyOf(negatives);
            extraTargets = List.copyOf(extraTargets);
        }

        public Recipe withSettings(DreamSettings other) {
            return new Recipe(request, other, palette, scale, prompt, negatives, extraTargets);
        }

        public Recipe withExtraTargets(List<GuideTarget> targets) {
            return new Recipe(request, settings, palette, scale, prompt, negatives, targets);
        }
    }

    /**
     * A finished dream.
     *
     * @param pixelArt the quantized picture at its own size
     * @param png the upscaled pixel art with prompt, seed, mode and settings in text chunks
     * @param similarity cosine to the prompt's text embedding of the picture as written: the pixel
     *     art after palette reduction (what the previews show before it can differ)
     */
    public record Cooked(Recipe recipe, Planner.Plan plan, DreamResult dream, RgbImage pixelArt, byte[] png,
            double similarity) {

        /** "microwave", "auto-microwave" or "normal". */
        public String mode() {
            return plan.kind().label();
        }

        /** The dream's frames as pixel art in the recipe's palette, upscaled like the PNG. */
        public List<RgbImage> timelapse() {
            List<RgbImage> frames = new ArrayList<>();
            dream.frames().forEach(f -> frames.add(PixelArt.upscale(PixelArt.quantize(f, recipe.palette()),
                    recipe.scale())));
            return frames;
        }
    }

    private final LoadedClip clip;
    private final Dreamer dreamer;
    private final PictureSimilarity similarity;
    private final BakedPathStore store;
    private final TextEmbeddingCache embeddings;
    private final Planner planner;
    private final Defaults defaults;

    public Oven(LoadedClip clip, BakedPathStore store, TextEmbeddingCache embeddings, Planner planner,
            Defaults defaults) {
        this.clip = clip;
        this.dreamer = new Dreamer(clip.model());
        this.similarity = new PictureSimilarity(clip.model());
        this.store = store;
        this.embeddings = embeddings;
        this.planner = planner;
        this.defaults = defaults;
    }

    public String modelId() {
        return clip.model().id();
    }

    public Dreamer dreamer() {
        return dreamer;
    }

    public BakedPathStore store() {
        return store;
    }

    /** The prompt's text embedding under this model, {@code [D]} unit length (cached). */
    public float[] embed(String prompt) {
        return embeddings.get(modelId(), prompt, p -> PathBlending.normalized(clip.embedTexts(List.of(p))[0]));
    }

    /**
     * Checks and resolves a request without doing the long work, so that bad input fails fast and
     * nothing is written.
     *
     * @throws InvalidInputException with one line for the user
     */
    public Recipe prepare(DreamRequest request) {
        String prompt = request.prompt().strip();
        if (prompt.isEmpty()) {
            throw new InvalidInputException("the prompt is empty: say what to dream, e.g. \"a red circle\"");
        }
        BakedPath.validatePrompt(prompt);
        checkPrompts(request);
        DreamSettings settings = DreamSettings.preset(request.preset() != null ? request.preset() : defaults.preset());
        int size = request.size() != 0 ? request.size() : defaults.size();
        DreamSettings.Builder chosen = settings.toBuilder().size(size);
        if (request.steps() != 0) {
            chosen.steps(request.steps());
        }
        Palette palette = Palette.parse(request.palette() != null ? request.palette() : defaults.palette());
        if (settings.drawing() == DreamSettings.Drawing.LAYERS) {
            // Layers paint with palette colours; without a palette, with the model's recommended one.
            palette = drawingPalette(palette);
            chosen.layers(settings.layers().withPalette(palette.colours()));
        }
        settings = chosen.build();
        int scale = request.scale() != 0 ? request.scale() : defaults.scale();
        checkScale(scale);
        float[] embedded = embed(prompt);
        List<float[]> negatives = new ArrayList<>();
        for (String n : request.negatives()) {
            if (n.isBlank()) {
                throw new InvalidInputException("a negative prompt is empty");
            }
            negatives.add(embed(n.strip()));
        }
        return new Recipe(request, settings, palette, scale, embedded, negatives, List.of());
    }

    /**
     * The colours a layered drawing picks from: the palette asked for, or, when none was (the
     * 17-level default), the model's recommended palette, else PICO-8.
     */
    Palette drawingPalette(Palette asked) {
        if (!asked.isLevels()) {
            return asked;
        }
        List<Integer> recommended = clip.model().palette();
        return recommended.isEmpty() ? Palette.PICO8 : new Palette("custom", recommended);
    }

    /**
     * Refuses a prompt or negative prompt that does not fit the model's context, without running
     * the model (the tokenizer only): what every transport checks when it accepts a job.
     *
     * @throws InvalidInputException with one line for the user
     */
    public void checkPrompts(DreamRequest request) {
        promptLimits().check(request);
    }

    /** The model's prompt limits (its tokenizer and context length). */
    public PromptLimits promptLimits() {
        return new PromptLimits(clip.tokenizer(), modelId());
    }

    /** The nearest-neighbour upscale must lie in 1..{@value #MAX_SCALE}. */
    public static void checkScale(int scale) {
        if (scale < 1 || scale > MAX_SCALE) {
            throw new InvalidInputException("scale must be between 1 and " + MAX_SCALE + ", got " + scale);
        }
    }

    /**
     * Decides how the recipe will be rendered, before any work, so that the plan can be said
     * first ({@link #say}).
     *
     * @throws InvalidInputException for mode MICROWAVE when the prompt was never baked
     */
    public Planner.Plan plan(Recipe recipe) {
        return planner.plan(recipe.request().mode(), modelId(), recipe.request().prompt().strip(), recipe.prompt());
    }

    /** The plan in words, with the steps the dream will really take. */
    public String say(Recipe recipe, Planner.Plan plan) {
        return plan.say(steps(recipe, plan));
    }

    /** A microwave needs at least one step per stage; otherwise the recipe's steps. */
    private static int steps(Recipe recipe, Planner.Plan plan) {
        int steps = recipe.settings().steps();
        return plan.sources().stream().mapToInt(BakedPath::stageCount).reduce(steps, Math::max);
    }

    /** Plans, dreams and makes the pixel art. */
    public Cooked cook(Recipe recipe, DreamListener listener) {
        return cook(recipe, plan(recipe), listener);
    }

    /** Dreams {@code plan} (from {@link #plan} of this recipe) and makes the pixel art. */
    public Cooked cook(Recipe recipe, Planner.Plan plan, DreamListener listener) {
        DreamRequest r = recipe.request();
        String prompt = r.prompt().strip();
        int steps = steps(recipe, plan);
        GuidePlan guide = switch (plan.kind()) {
            case NORMAL -> MicrowavePlans.direct(prompt, recipe.prompt(), steps, recipe.negatives(),
                    defaults.negativeWeight());
            case MICROWAVE -> {
                float[][] stages = unit(plan.sources().get(0).stages());
                if (defaults.microwaveLerp() > 0) {
                    stages = PathBlending.lerpWithPrompt(stages, recipe.prompt(), defaults.microwaveLerp());
                }
                yield MicrowavePlans.replay(prompt, stages, steps, recipe.negatives(), defaults.negativeWeight());
            }
            case AUTO_MICROWAVE -> {
                // One qualifying path is blended with itself: its stages, pulled toward the prompt.
                BakedPath a = plan.sources().get(0);
                BakedPath b = plan.sources().size() > 1 ? plan.sources().get(1) : a;
                BakedPath ua = unitPath(a);
                BakedPath ub = unitPath(b);
                float[][] stages = defaults.splice()
                        ? PathBlending.splice(ua, ub, recipe.prompt(), defaults.autoPathWeight(), new Random(r.seed()))
                        : PathBlending.autoMicrowave(ua, ub, recipe.prompt(), defaults.autoPathWeight());
                yield MicrowavePlans.replay(prompt, stages, steps, recipe.negatives(), defaults.negativeWeight());
            }
        };
        if (plan.kind() != Planner.Kind.NORMAL) {
            // Baked stages are image embeddings of the drawing they were baked with: a layered dream
            // picks its colours for the prompt's words instead.
            guide = guide.withSubject(PromptTargets.of(prompt, recipe.prompt(), List.of(), recipe.negatives(),
                    defaults.negativeWeight()));
        }
        if (!recipe.extraTargets().isEmpty()) {
            guide = MicrowavePlans.withExtraTargets(guide, recipe.extraTargets());
        }
        DreamResult dream = dreamer.dream(guide, recipe.settings(), r.seed(), listener);
        RgbImage pixelArt = PixelArt.quantize(dream.image(), recipe.palette());
        // The similarity of the picture as written (quantized to its palette), not of the raw pixels.
        double sim = similarity.cosine(pixelArt, recipe.prompt());
        byte[] png = PngFiles.encode(PixelArt.upscale(pixelArt, recipe.scale()),
                describe(recipe, plan, say(recipe, plan), sim));
        return new Cooked(recipe, plan, dream, pixelArt, png, sim);
    }

    /** {@link #prepare} then {@link #cook}. */
    public Cooked cook(DreamRequest request, DreamListener listener) {
        return cook(prepare(request), listener);
    }

    /**
     * Bakes a prompt for this model and stores the path (replacing an earlier bake of it).
     */
    public Baker.BakeOutcome bake(String prompt, String author, Baker.BakeSettings settings, long seed,
            DreamListener listener) {
        return bake(prompt, author, settings, seed, listener, Baker.RenderChooser.highestScore());
    }

    /** {@link #bake(String, String, Baker.BakeSettings, long, DreamListener)} with a chosen candidate picker. */
    public Baker.BakeOutcome bake(String prompt, String author, Baker.BakeSettings settings, long seed,
            DreamListener listener, Baker.RenderChooser chooser) {
        String clean = prompt.strip();
        if (clean.isEmpty()) {
            throw new InvalidInputException("the prompt to bake is empty");
        }
        BakedPath.validatePrompt(clean);
        float[] embedded = embed(clean);
        Baker.BakeOutcome outcome = new Baker(dreamer, java.time.Clock.systemUTC())
                .bake(clean, embedded, author, settings, seed, listener, chooser);
        store.save(outcome.path(), embedded);
        return outcome;
    }

    /** Gives baked paths of this model that were imported or indexed without a prompt embedding one. */
    public int embedMissingPrompts() {
        int n = 0;
        for (BakedSummary s : store.missingEmbeddings(modelId())) {
            store.setEmbedding(s.id(), embed(s.prompt()));
            n++;
        }
        return n;
    }

    private Map<String, String> describe(Recipe recipe, Planner.Plan plan, String said, double sim) {
        DreamRequest r = recipe.request();
        Map<String, String> text = new LinkedHashMap<>();
        // Enough to rerun the picture; no time stamps, so the bytes are reproducible.
        text.put("Title", r.prompt().strip());
        text.put("Software", "Dream Oven");
        text.put("prompt", r.prompt().strip());
        if (!r.negatives().isEmpty()) {
            text.put("negatives", String.join(" | ", r.negatives()));
        }
        text.put("seed", Long.toString(r.seed()));
        text.put("preset", r.preset() == null ? defaults.preset() : r.preset());
        text.put("model", modelId());
        if (clip.model() instanceof ClipEnsemble ensemble) {
            // Every model that guided, with its share of the loss.
            text.put("models", ensemble.members().stream().map(m -> String.format(Locale.ROOT, "%s (weight %.3f)",
                    m.model().id(), m.weight())).collect(java.util.stream.Collectors.joining(", ")));
        }
        text.put("mode", plan.kind().label() + (plan.sources().isEmpty() ? "" : " " + plan.sourceDescription()));
        text.put("plan", said);
        text.put("palette", recipe.palette().spec());
        text.put("scale", Integer.toString(recipe.scale()));
        text.put("similarity", String.format(Locale.ROOT, "%.4f", sim));
        text.put("settings", recipe.settings().describe());
        return text;
    }

    /** Imported paths come from other code with other norms; blending is done on unit vectors. */
    private static BakedPath unitPath(BakedPath p) {
        return new BakedPath(p.id(), p.prompt(), p.modelId(), p.resolution(), unit(p.stages()), p.settings(),
                p.score(), p.author(), p.createdAt());
    }

    private static float[][] unit(float[][] stages) {
        float[][] out = new float[stages.length][];
        for (int i = 0; i < stages.length; i++) {
            out[i] = PathBlending.normalized(stages[i]);
        }
        return out;
    }
}
