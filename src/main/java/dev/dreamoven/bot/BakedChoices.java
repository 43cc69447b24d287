package dev.dreamoven.bot;

import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.render.BakedPrompts;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Baked prompts as autocomplete choices. A choice's value may have 100 characters and a prompt 300, so a longer
 * prompt is offered by the id of its baked path ({@code baked:<id>}), which the command turns back into the prompt
 * on the worker.
 */
final class BakedChoices {

    private static final String PREFIX = "baked:";
    private static final Pattern REFERENCE = Pattern.compile(PREFIX + "([0-9a-f]{16})");

    private BakedChoices() {
    }

    static List<SlashCommand.Choice> of(List<BakedPrompts.Baked> found) {
        return found.stream().map(BakedChoices::choice).toList();
    }

    private static SlashCommand.Choice choice(BakedPrompts.Baked b) {
        String p = b.prompt();
        int max = SlashCommand.Choice.MAX_LENGTH;
        return p.length() <= max ? SlashCommand.Choice.of(p)
                : new SlashCommand.Choice(p.substring(0, max - 1) + "…", PREFIX + b.id());
    }

    /** The prompt a command received: itself, or the baked prompt a {@code baked:<id>} choice stands for. */
    static String resolve(String given, BakedPrompts baked) {
        Matcher m = REFERENCE.matcher(given);
        if (!m.matches()) {
            return given;
        }
        return baked.prompt(m.group(1)).orElseThrow(() -> new InvalidInputException(Messages.BAKED_PROMPT_GONE));
    }
}
