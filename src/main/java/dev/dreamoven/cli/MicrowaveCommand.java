package dev.dreamoven.cli;

import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.bake.BakedSummary;
import dev.dreamoven.dream.DreamRequest;
import dev.dreamoven.settings.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code microwave PROMPT|ID}: replay a baked path stage by stage. */
@Command(name = "microwave", mixinStandardHelpOptions = true,
        description = "Replay a baked path stage by stage (the prompt must be baked for the model).")
public final class MicrowaveCommand implements AppCommand {

    @Parameters(index = "0", paramLabel = "PROMPT|ID", description = "A baked prompt, or a baked path id (see 'baked list').")
    String promptOrId;

    @Option(names = "--lerp", paramLabel = "T", description = "Blend every stage toward the prompt: 0 = the path "
            + "alone (default: ${dreamoven.setting.bake.microwave-lerp}, setting bake.microwave-lerp), 1 = the prompt alone.")
    Double lerp;

    @Mixin
    RenderOptions options;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Settings configure(Settings settings) {
        Settings configured = options.configure(settings);
        if (lerp == null) {
            return configured;
        }
        if (!(lerp >= 0 && lerp <= 1)) {
            throw new InvalidInputException("--lerp must lie between 0 and 1, got " + lerp);
        }
        Settings.Bake b = configured.bake();
        return configured.withBake(new Settings.Bake(b.stages(), b.candidates(), b.autoMaxDistance(), b.autoPathWeight(),
                b.autoSplice(), lerp));
    }

    @Override
    public int run(Services services) {
        // An id (or a unique start of one) names a baked path; anything else is a prompt.
        String prompt = promptOrId.matches("[0-9a-f]{4,16}")
                ? BakedCommand.find(services.bakedPaths(), promptOrId).map(BakedSummary::prompt).orElse(promptOrId)
                : promptOrId;
        DreamRequest request = options.request(prompt, DreamRequest.Mode.MICROWAVE);
        options.validate(request); // before the model loads
        return DreamCommand.render(services.oven(), options, request, "microwave", spec.commandLine());
    }
}
