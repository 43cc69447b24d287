package dev.dreamoven.cli;

import dev.dreamoven.bake.Oven;
import dev.dreamoven.bake.Planner;
import dev.dreamoven.dream.DreamRequest;
import dev.dreamoven.settings.Settings;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dream PROMPT}: optimize a picture against CLIP, microwaving from baked paths where it can. */
@Command(name = "dream", mixinStandardHelpOptions = true,
        description = "Dream pixel art from a prompt. By default the prompt's baked path is microwaved when it "
                + "was baked; otherwise up to two close baked paths are blended, leaving out any whose prompt says "
                + "something else ('a red circle' helps 'a big red circle', never 'a red square'); otherwise the "
                + "picture is dreamed from scratch. The plan is printed before the work.",
        footer = {"", "Presets (more steps and views: a closer picture, slower; with the shipped model on one core "
                + "draft takes about 2 s, normal about 2.5 s):", "${dreamoven.presets}"})
public final class DreamCommand implements AppCommand {

    @Parameters(index = "0", paramLabel = "PROMPT", description = "What to dream, e.g. \"a red circle on a blue background\".")
    String prompt;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "auto",
            description = "auto (default), normal, or microwave (the prompt must be baked).")
    String mode;

    @Mixin
    RenderOptions options;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Settings configure(Settings settings) {
        return options.configure(settings);
    }

    @Override
    public int run(Services services) {
        DreamRequest request = options.request(prompt, parseMode(mode));
        options.validate(request); // before the model loads
        return render(services.oven(), options, request, "dream", spec.commandLine());
    }

    static DreamRequest.Mode parseMode(String mode) {
        try {
            return DreamRequest.Mode.valueOf(mode.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new dev.dreamoven.common.InvalidInputException("unknown mode '" + mode + "' (auto, normal or microwave)");
        }
    }

    /** Validates, says the plan, dreams with a progress bar, writes the files, prints the summary line. */
    static int render(Oven oven, RenderOptions options, DreamRequest request, String verb,
            picocli.CommandLine commandLine) {
        java.io.PrintWriter out = commandLine.getOut();
        java.io.PrintWriter err = commandLine.getErr();
        Oven.Recipe recipe = options.recipe(oven, request);
        // The plan is said before the work, so that a user waiting on the bar knows what it is for.
        Planner.Plan plan = oven.plan(recipe);
        err.println(verb + ": " + oven.say(recipe, plan) + ", seed " + request.seed() + ", guided by " + oven.modelId());
        err.flush();
        Oven.Cooked cooked;
        try (DreamProgressBar bar = new DreamProgressBar(verb, err)) {
            cooked = oven.cook(recipe, plan, bar);
        }
        options.write(cooked);
        int views = cooked.dream().featureWins().values().stream().mapToInt(Integer::intValue).sum();
        cooked.dream().featureWins().forEach((feature, wins) -> err.printf(Locale.ROOT,
                "select best: %-40s %6d views (%.1f%%)%n", feature, wins, views == 0 ? 0 : 100.0 * wins / views));
        out.printf(Locale.ROOT, "%s: %s similarity %.4f in %.1f s%n", verb, options.out,
                cooked.similarity(), cooked.dream().seconds());
        out.flush();
        err.flush();
        return 0;
    }
}
