package dev.dreamoven.discord;

import dev.dreamoven.bot.DreamBot;
import java.util.concurrent.Executor;
import net.dv8tion.jda.api.entities.emoji.Emoji;
import net.dv8tion.jda.api.events.interaction.command.CommandAutoCompleteInteractionEvent;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.events.message.react.MessageReactionAddEvent;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import net.dv8tion.jda.api.interactions.commands.Command;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JDA events into {@link DreamBot}. Runs on the service's event pool (never a shard's gateway thread),
 * and only translates: the bot acknowledges at once and does the rest on its worker pool;
 * autocomplete runs on {@code work}.
 */
public final class JdaListener extends ListenerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(JdaListener.class);

    private final DreamBot bot;
    private final Access access;
    private final Executor work;

    public JdaListener(DreamBot bot, Access access, Executor work) {
        this.bot = bot;
        this.access = access;
        this.work = work;
    }

    @Override
    public void onSlashCommandInteraction(SlashCommandInteractionEvent event) {
        bot.onCommand(new JdaInteraction(event, access));
    }

    @Override
    public void onCommandAutoCompleteInteraction(CommandAutoCompleteInteractionEvent event) {
        String command = event.getSubcommandName() == null ? event.getName()
                : event.getName() + " " + event.getSubcommandName();
        String option = event.getFocusedOption().getName();
        String typed = event.getFocusedOption().getValue();
        work.execute(() -> {
            try {
                event.replyChoices(bot.autocomplete(command, option, typed).stream()
                        .map(c -> new Command.Choice(c.name(), c.value())).toList())
                        .queue(RestFailures.ignored(), RestFailures.logged("autocomplete of /" + command));
            } catch (RuntimeException e) {
                LOG.warn("autocomplete of /{} failed: {}", command, e.toString());
            }
        });
    }

    @Override
    public void onMessageReactionAdd(MessageReactionAddEvent event) {
        if (event.getUserIdLong() == event.getJDA().getSelfUser().getIdLong()
                || event.getEmoji().getType() != Emoji.Type.UNICODE) {
            return;
        }
        bot.onReaction(event.getUserId(), event.getChannel().getId(), event.getMessageId(),
                event.getEmoji().asUnicode().getName());
    }
}
