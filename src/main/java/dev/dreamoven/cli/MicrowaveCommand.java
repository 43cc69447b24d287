package dev.dreamoven.cli;

import dev.dreamoven.App;
import dev.dreamoven.InvalidInputException;
import dev.dreamoven.bake.BakedSummary;
import dev.dreamoven.dream.DreamRequest;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code microwave PROMPT|ID}: replay a baked path stage by stage. */
@Command(name = "microwave", mixinStandardHelpOptions = true,
        description = "Replay a baked path stage by stage (the prompt must be baked for the model).")
public final class MicrowaveCommand implements Callable<Integer> {

    private final App app;

    @Parameters(index = "0", paramLabel = "PROMPT|ID", description = "A baked prompt, or a baked path id (see 'baked list').")
    String promptOrId;

    @Option(names = "--lerp", paramLabel = "T", description = "Blend every stage toward the prompt: 0 = the path "
            + "alone (default: bake.microwave-lerp), 1 = the prompt alone.")
    Double lerp;

    @Mixin
    RenderOptions options;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    public MicrowaveCommand(App app) {
        this.app = app;
    }

    @Override
    public Integer call() {
        if (lerp != null) {
            if (!(lerp >= 0 && lerp <= 1)) {
                throw new InvalidInputException("--lerp must lie between 0 and 1, got " + lerp);
            }
            app.override("bake.microwave-lerp", String.format(Locale.ROOT, "%s", lerp));
        }
        options.configure(app);
        // An id (or a unique start of one) names a baked path; anything else is a prompt.
        String prompt = promptOrId.matches("[0-9a-f]{4,16}")
                ? BakedCommand.find(app.bakedPathStore(), promptOrId).map(BakedSummary::prompt).orElse(promptOrId)
                : promptOrId;
        return DreamCommand.render(app, options, options.request(prompt, DreamRequest.Mode.MICROWAVE), "microwave",
                spec.commandLine());
    }
}
