package dev.dreamoven.discord;

import dev.dreamoven.bot.SlashCommand;
import java.util.List;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.interactions.InteractionContextType;
import net.dv8tion.jda.api.interactions.commands.DefaultMemberPermissions;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.interactions.commands.build.OptionData;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;
import net.dv8tion.jda.api.interactions.commands.build.SubcommandData;

/** The bot's command definitions as JDA registers them: guild-only, Discord-side limits included. */
public final class SlashCommands {

    private SlashCommands() {
    }

    public static List<SlashCommandData> of(List<SlashCommand.Definition> definitions) {
        return definitions.stream().map(SlashCommands::command).toList();
    }

    private static SlashCommandData command(SlashCommand.Definition d) {
        SlashCommandData data = Commands.slash(d.name(), d.description())
                .addOptions(d.options().stream().map(SlashCommands::option).toList())
                .addSubcommands(d.subcommands().stream().map(s -> new SubcommandData(s.name(), s.description())
                        .addOptions(s.options().stream().map(SlashCommands::option).toList())).toList());
        if (d.adminOnly()) {
            data.setDefaultPermissions(DefaultMemberPermissions.enabledFor(Permission.MANAGE_SERVER));
        }
        return data.setContexts(InteractionContextType.GUILD);
    }

    private static OptionData option(SlashCommand.Option o) {
        OptionType type = switch (o.type()) {
            case TEXT -> OptionType.STRING;
            case INTEGER -> OptionType.INTEGER;
            case FILE -> OptionType.ATTACHMENT;
        };
        OptionData data = new OptionData(type, o.name(), o.description(), o.required(), o.autocomplete());
        if (o.maxLength() > 0) {
            data.setMaxLength(o.maxLength());
        }
        if (o.hasRange()) {
            data.setRequiredRange(o.min(), o.max());
        }
        o.choices().forEach(c -> data.addChoice(c, c));
        return data;
    }
}
