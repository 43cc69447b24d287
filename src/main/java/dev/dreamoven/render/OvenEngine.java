package dev.dreamoven.render;

import dev.dreamoven.bake.Baker;
import dev.dreamoven.bake.Oven;
import dev.dreamoven.bake.Planner;
import dev.dreamoven.dream.DreamListener;
import dev.dreamoven.dream.DreamProgress;
import dev.dreamoven.dream.DreamRequest;
import dev.dreamoven.image.Palette;
import dev.dreamoven.image.PixelArt;
import dev.dreamoven.image.PngFiles;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The real engine behind the render queue: dreams through the {@link Oven} (which microwaves from
 * baked paths where it can) and bakes prompts. The oven, and so the model, is made on first use, on
 * the worker thread that owns it.
 */
public final class OvenEngine implements RenderEngine {

    private final Supplier<Oven> oven;
    private final int bakeStages;
    private final int bakeCandidates;

    public OvenEngine(Supplier<Oven> oven, int bakeStages, int bakeCandidates) {
        this.oven = oven;
        this.bakeStages = bakeStages;
        this.bakeCandidates = bakeCandidates;
    }

    /** Loads the model (the oven) on the worker thread before the first job. */
    @Override
    public void load() {
        oven.get();
    }

    /** Prompts that do not fit the model's context are refused when submitted. */
    @Override
    public void validate(JobKind kind, DreamRequest request) {
        oven.get().checkPrompts(request);
    }

    @Override
    public RenderOutcome render(RenderJob job, RenderProgress progress) {
        long start = System.nanoTime();
        Oven o = oven.get();
        DreamRequest request = job.request();
        if (job.kind() == JobKind.BAKE) {
            Oven.Recipe recipe = o.prepare(request);
            progress.begin();
            Baker.BakeOutcome baked = o.bake(request.prompt(), job.requesterId(),
                    Baker.BakeSettings.defaults(bakeStages, recipe.settings().size(), bakeCandidates), request.seed(),
                    listener(progress, recipe.palette(), recipe.scale()));
            byte[] png = PngFiles.encode(PixelArt.upscale(PixelArt.quantize(baked.microwave(), recipe.palette()),
                    recipe.scale()), Map.of("Title", request.prompt(), "dreamoven.baked-path", baked.path().id()));
            return new RenderOutcome(png, "bake", String.format(Locale.ROOT,
                    "microwave %.3f vs normal %.3f at the draft budget", baked.microwaveScore(), baked.normalScore()),
                    baked.microwaveScore(), request.seed(), (System.nanoTime() - start) / 1e9, o.modelId());
        }
        Oven.Recipe recipe = o.prepare(request);
        Planner.Plan plan = o.plan(recipe);
        progress.begin();
        progress.planned(o.say(recipe, plan));
        Oven.Cooked cooked = o.cook(recipe, plan, listener(progress, recipe.palette(), recipe.scale()));
        return new RenderOutcome(cooked.png(), cooked.mode(), cooked.plan().sourceDescription(), cooked.similarity(),
                request.seed(), cooked.dream().seconds(), o.modelId());
    }

    private static DreamListener listener(RenderProgress progress, Palette palette, int scale) {
        return new DreamListener() {
            @Override
            public void onStep(DreamProgress p) {
                progress.update(p.step(), p.totalSteps(), p.similarity(), () -> PngFiles.encode(
                        PixelArt.upscale(PixelArt.quantize(p.preview().get(), palette), scale), Map.of()));
            }

            @Override
            public boolean cancelled() {
                return progress.cancelled();
            }
        };
    }
}
