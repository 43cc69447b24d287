package dev.dreamoven.bot;

import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.dream.DreamRequest;
import dev.dreamoven.render.BakedPrompts;
import dev.dreamoven.render.JobKind;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/** {@code /dream prompt [negative] [size] [steps] [seed] [palette] [preset]}: queues a dream. */
final class DreamSlashCommand implements SlashCommand {

    // The limits every transport shares (DreamRequest.validate); Discord integer options stop at 2^53.
    static final int MIN_SIZE = dev.dreamoven.dream.DreamSettings.MIN_SIZE;
    static final int MAX_SIZE = dev.dreamoven.dream.DreamSettings.MAX_SIZE;
    static final int MIN_STEPS = DreamRequest.MIN_STEPS;
    static final int MAX_STEPS = DreamRequest.MAX_STEPS;
    static final long MAX_SEED = DreamRequest.MAX_SEED;
    static final List<String> PALETTES = List.of("none", "pico8", "gameboy", "nes");
    static final List<String> PRESETS = List.of("draft", "normal", "best");
    private static final Pattern HEX = Pattern.compile("#?[0-9a-fA-F]{6}");

    static final Definition DEFINITION = Definition.of("dream", "Dream a pixel-art picture of a prompt",
            Option.text("prompt", "What to dream").asRequired().withAutocomplete().withMaxLength(Options.MAX_PROMPT),
            Option.text("negative", "What to steer away from").withMaxLength(Options.MAX_PROMPT),
            Option.integer("size", "Picture side in pixels", MIN_SIZE, MAX_SIZE),
            Option.integer("steps", "Optimization steps", MIN_STEPS, MAX_STEPS),
            Option.integer("seed", "Random seed: same seed, same picture", 0, MAX_SEED),
            Option.text("palette", "Colours: none, pico8, gameboy, nes, or a comma list of hex colours")
                    .withAutocomplete(),
            Option.text("preset", "Quality and speed").withChoices(PRESETS));

    private final Replies replies;
    private final BakedPrompts baked;
    private final LongSupplier seeds;

    DreamSlashCommand(Replies replies, BakedPrompts baked, LongSupplier seeds) {
        this.replies = replies;
        this.baked = baked;
        this.seeds = seeds;
    }

    @Override
    public Definition definition() {
        return DEFINITION;
    }

    @Override
    public void handle(Interaction i) {
        requireChannelPermissions(i);
        DreamRequest request = parse(i, seeds.getAsLong());
        replies.acceptJob(i, JobKind.DREAM, () -> request.withPrompt(BakedChoices.resolve(request.prompt(), baked)));
    }

    /** A job's result may have to be posted in the channel later: refuse at once where the bot could not. */
    static void requireChannelPermissions(Interaction i) {
        List<String> missing = i.missingChannelPermissions();
        if (!missing.isEmpty()) {
            throw new InvalidInputException(Messages.cannotPostHere(missing));
        }
    }

    /** Palette names that start with what was typed (any palette may still be typed in full). */
    static List<SlashCommand.Choice> paletteChoices(String typed) {
        String t = typed.toLowerCase(Locale.ROOT);
        return PALETTES.stream().filter(p -> p.startsWith(t)).map(SlashCommand.Choice::of).toList();
    }

    /** The request of a {@code /dream}; {@code randomSeed} is used when no seed was given. */
    static DreamRequest parse(Interaction i, long randomSeed) {
        String prompt = Options.prompt("prompt", i.option("prompt"));
        List<String> negatives = i.option("negative").isPresent()
                ? List.of(Options.prompt("negative", i.option("negative"))) : List.of();
        int size = (int) Options.number(i.option("size"), "size", MIN_SIZE, MAX_SIZE, 0);
        int steps = (int) Options.number(i.option("steps"), "steps", MIN_STEPS, MAX_STEPS, 0);
        long seed = Options.number(i.option("seed"), "seed", 0, MAX_SEED, randomSeed);
        String palette = palette(i.option("palette").orElse(null));
        String preset = i.option("preset").map(p -> p.trim().toLowerCase(Locale.ROOT)).orElse(null);
        if (preset != null && !PRESETS.contains(preset)) {
            throw new InvalidInputException(Messages.oneOf("preset", PRESETS));
        }
        return new DreamRequest(prompt, negatives, size, steps, seed, preset, palette, 0, DreamRequest.Mode.AUTO);
    }

    /** A palette name or 2-64 hex colours, normalized; null when not given. */
    static String palette(String given) {
        if (given == null || given.isBlank()) {
            return null;
        }
        String p = given.trim().toLowerCase(Locale.ROOT);
        if (PALETTES.contains(p)) {
            return p;
        }
        String[] colours = p.split("\\s*,\\s*");
        if (colours.length >= 2 && colours.length <= 64 && Arrays.stream(colours).allMatch(c -> HEX.matcher(c).matches())) {
            return String.join(",", colours);
        }
        throw new InvalidInputException(Messages.badPalette(PALETTES));
    }
}
