package dev.dreamoven.discord;

import dev.dreamoven.bot.SlashCommand;
import java.util.List;
import net.dv8tion.jda.api.interactions.InteractionContextType;
import net.dv8tion.jda.api.interactions.commands.DefaultMemberPermissions;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.interactions.commands.build.OptionData;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;
import net.dv8tion.jda.api.interactions.commands.build.SubcommandData;

/**
 * The bot's command definitions as JDA registers them: guild-only, Discord-side limits included. Which guilds get
 * which commands is {@link DiscordService}'s: admin commands only where the bot is administered.
 */
public final class SlashCommands {

    private SlashCommands() {
    }

    /**
     * @param adminDefault who sees an admin command by default: everyone in the admin guild when admin roles are
     *     configured (the handler checks the role; Discord cannot default to a role), else Manage Server
     */
    public static List<SlashCommandData> of(List<SlashCommand.Definition> definitions,
            DefaultMemberPermissions adminDefault) {
        return definitions.stream().map(d -> command(d, adminDefault)).toList();
    }

    private static SlashCommandData command(SlashCommand.Definition d, DefaultMemberPermissions adminDefault) {
        SlashCommandData data = Commands.slash(d.name(), d.description())
                .addOptions(d.options().stream().map(SlashCommands::option).toList())
                .addSubcommands(d.subcommands().stream().map(s -> new SubcommandData(s.name(), s.description())
                        .addOptions(s.options().stream().map(SlashCommands::option).toList())).toList());
        if (d.adminOnly()) {
            data.setDefaultPermissions(adminDefault);
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
