package dev.dreamoven.discord;

import dev.dreamoven.bot.DreamOptions;

import java.util.List;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.interactions.InteractionContextType;
import net.dv8tion.jda.api.interactions.commands.DefaultMemberPermissions;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.interactions.commands.build.OptionData;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;
import net.dv8tion.jda.api.interactions.commands.build.SubcommandData;

/** The slash commands Dream Oven registers, with Discord-side limits that mirror {@link DreamOptions}. */
public final class SlashCommands {

    private SlashCommands() {
    }

    public static List<SlashCommandData> all() {
        OptionData palette = new OptionData(OptionType.STRING, "palette", "Colours: none, pico8, gameboy, nes, "
                + "or a comma list of hex colours");
        OptionData preset = new OptionData(OptionType.STRING, "preset", "Quality and speed");
        DreamOptions.PRESETS.forEach(p -> preset.addChoice(p, p));
        SlashCommandData dream = Commands.slash("dream", "Dream a pixel-art picture of a prompt")
                .addOptions(new OptionData(OptionType.STRING, "prompt", "What to dream", true, true)
                                .setMaxLength(DreamOptions.MAX_PROMPT),
                        new OptionData(OptionType.STRING, "negative", "What to steer away from")
                                .setMaxLength(DreamOptions.MAX_PROMPT),
                        new OptionData(OptionType.INTEGER, "size", "Picture side in pixels")
                                .setRequiredRange(DreamOptions.MIN_SIZE, DreamOptions.MAX_SIZE),
                        new OptionData(OptionType.INTEGER, "steps", "Optimization steps")
                                .setRequiredRange(DreamOptions.MIN_STEPS, DreamOptions.MAX_STEPS),
                        new OptionData(OptionType.INTEGER, "seed", "Random seed: same seed, same picture")
                                .setRequiredRange(0, DreamOptions.MAX_SEED),
                        palette, preset)
                .setContexts(InteractionContextType.GUILD);
        SlashCommandData bake = Commands.slash("bake", "Manage baked prompts (admins)")
                .addSubcommands(
                        new SubcommandData("add", "Bake a prompt so that dreams of it are fast")
                                .addOptions(new OptionData(OptionType.STRING, "prompt", "The prompt to bake", true)
                                        .setMaxLength(DreamOptions.MAX_PROMPT)),
                        new SubcommandData("list", "List baked prompts")
                                .addOptions(new OptionData(OptionType.STRING, "prompt", "Only those starting like this",
                                        false, true)),
                        new SubcommandData("remove", "Remove a baked prompt")
                                .addOptions(new OptionData(OptionType.STRING, "prompt", "The baked prompt", true, true)),
                        new SubcommandData("import", "Import a baked path file (.pt or .safetensors)")
                                .addOptions(new OptionData(OptionType.ATTACHMENT, "file", "The baked path", true)))
                .setDefaultPermissions(DefaultMemberPermissions.enabledFor(Permission.MANAGE_SERVER))
                .setContexts(InteractionContextType.GUILD);
        SlashCommandData queue = Commands.slash("queue", "Show the render queue")
                .setContexts(InteractionContextType.GUILD);
        SlashCommandData cancel = Commands.slash("cancel", "Cancel your newest job, or the given one")
                .addOptions(new OptionData(OptionType.INTEGER, "job", "Job number").setRequiredRange(1, Long.MAX_VALUE >> 11))
                .setContexts(InteractionContextType.GUILD);
        return List.of(dream, bake, queue, cancel);
    }
}
