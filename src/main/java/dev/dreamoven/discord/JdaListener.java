package dev.dreamoven.discord;

import dev.dreamoven.bot.DreamBot;

import java.util.concurrent.Executor;
import net.dv8tion.jda.api.entities.emoji.Emoji;
import net.dv8tion.jda.api.events.interaction.command.CommandAutoCompleteInteractionEvent;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.events.message.react.MessageReactionAddEvent;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JDA events into {@link DreamBot}. Runs on JDA's gateway thread, so it only translates: the bot
 * acknowledges at once and does the rest on its worker pool; autocomplete runs on {@code work}.
 */
public final class JdaListener extends ListenerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(JdaListener.class);

    private final DreamBot bot;
    private final String adminRole;
    private final Executor work;

    public JdaListener(DreamBot bot, String adminRole, Executor work) {
        this.bot = bot;
        this.adminRole = adminRole;
        this.work = work;
    }

    @Override
    public void onSlashCommandInteraction(SlashCommandInteractionEvent event) {
        bot.onCommand(new JdaInteraction(event, adminRole));
    }

    @Override
    public void onCommandAutoCompleteInteraction(CommandAutoCompleteInteractionEvent event) {
        String typed = event.getFocusedOption().getValue();
        work.execute(() -> {
            try {
                event.replyChoiceStrings(bot.autocomplete(typed)).queue(ok -> { }, err -> { });
            } catch (RuntimeException e) {
                LOG.warn("autocomplete failed: {}", e.toString());
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
