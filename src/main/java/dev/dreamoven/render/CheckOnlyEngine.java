package dev.dreamoven.render;

import dev.dreamoven.bake.PromptLimits;
import dev.dreamoven.dream.DreamRequest;
import java.util.function.Supplier;

/**
 * The engine of a bot beside workers on other hosts ({@code serve --role bot}): it checks what is
 * submitted against the model's context with the tokenizer alone, and renders nothing; a bot never
 * loads the model.
 */
public final class CheckOnlyEngine implements RenderEngine {

    private final Supplier<PromptLimits> limits;

    /** @param limits made on first use (the vocabulary may be downloaded then) */
    public CheckOnlyEngine(Supplier<PromptLimits> limits) {
        this.limits = limits;
    }

    @Override
    public void validate(JobKind kind, DreamRequest request) {
        limits.get().check(request);
    }

    @Override
    public void load() {
        throw new IllegalStateException("a bot renders nothing: render workers do");
    }

    @Override
    public RenderOutcome render(RenderJob job, RenderProgress progress) {
        throw new IllegalStateException("a bot renders nothing: render workers do");
    }
}
