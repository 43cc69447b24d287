package dev.dreamoven.discord;

import dev.dreamoven.bot.Attachment;
import dev.dreamoven.bot.Interaction;
import dev.dreamoven.bot.Post;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.entities.Member;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.interactions.InteractionHook;
import net.dv8tion.jda.api.interactions.commands.OptionMapping;
import net.dv8tion.jda.api.utils.FileUpload;
import net.dv8tion.jda.api.utils.messages.MessageCreateBuilder;
import net.dv8tion.jda.api.utils.messages.MessageCreateData;
import net.dv8tion.jda.api.utils.messages.MessageEditBuilder;
import net.dv8tion.jda.api.utils.messages.MessageEditData;

/** A slash command from JDA as an {@link Interaction}. Every REST call is queued, never awaited. */
final class JdaInteraction implements Interaction {

    /** Only the requester is pinged; prompts cannot ping @everyone or roles. */
    static final EnumSet<Message.MentionType> MENTIONS = EnumSet.of(Message.MentionType.USER);

    private final SlashCommandInteractionEvent event;
    private final String adminRole;
    private volatile boolean deferred;
    private volatile boolean deferredEphemeral;

    JdaInteraction(SlashCommandInteractionEvent event, String adminRole) {
        this.event = event;
        this.adminRole = adminRole;
    }

    @Override
    public String id() {
        return event.getId();
    }

    @Override
    public String command() {
        String sub = event.getSubcommandName();
        return sub == null ? event.getName() : event.getName() + " " + sub;
    }

    @Override
    public String userId() {
        return event.getUser().getId();
    }

    @Override
    public String guildId() {
        return event.getGuild() == null ? null : event.getGuild().getId();
    }

    @Override
    public String channelId() {
        return Long.toUnsignedString(event.getChannelIdLong());
    }

    @Override
    public boolean mayBake() {
        Member m = event.getMember();
        if (m == null) {
            return false;
        }
        if (m.hasPermission(Permission.MANAGE_SERVER)) {
            return true;
        }
        return adminRole != null && !adminRole.isBlank()
                && m.getRoles().stream().anyMatch(r -> r.getName().equalsIgnoreCase(adminRole));
    }

    @Override
    public Optional<String> option(String name) {
        OptionMapping o = event.getOption(name);
        return o == null ? Optional.empty() : Optional.of(o.getAsString());
    }

    @Override
    public Optional<Attachment> attachment(String name) {
        OptionMapping o = event.getOption(name);
        if (o == null) {
            return Optional.empty();
        }
        Message.Attachment a = o.getAsAttachment();
        return Optional.of(new Attachment(a.getFileName(), a.getSize(), () -> {
            try (var in = a.getProxy().download().get()) {
                return in.readAllBytes();
            }
        }));
    }

    @Override
    public void defer(boolean ephemeral) {
        deferred = true;
        deferredEphemeral = ephemeral;
        event.deferReply(ephemeral).queue();
    }

    @Override
    public void reply(String text) {
        if (deferred) {
            event.getHook().editOriginal(text).setAllowedMentions(MENTIONS).queue();
        } else {
            event.reply(text).setAllowedMentions(MENTIONS).queue();
        }
    }

    @Override
    public void replyPrivately(String text) {
        if (!deferred) {
            event.reply(text).setEphemeral(true).queue();
        } else if (deferredEphemeral) {
            event.getHook().editOriginal(text).queue();
        } else {
            // The public "thinking…" placeholder goes; the error is shown to the user alone.
            InteractionHook hook = event.getHook();
            hook.deleteOriginal().queue(ok -> { }, err -> { });
            hook.sendMessage(text).setEphemeral(true).queue();
        }
    }

    @Override
    public boolean edit(Post post) {
        InteractionHook hook = event.getHook();
        if (hook.isExpired()) {
            return false;
        }
        hook.editOriginal(editData(post)).queue(ok -> { }, err -> { });
        return true;
    }

    @Override
    public CompletableFuture<String> followUp(Post post) {
        InteractionHook hook = event.getHook();
        if (hook.isExpired()) {
            return CompletableFuture.failedFuture(new IllegalStateException("interaction expired"));
        }
        return hook.sendMessage(createData(post)).submit().thenApply(Message::getId);
    }

    @Override
    public boolean expired() {
        return event.getHook().isExpired();
    }

    static MessageEditData editData(Post post) {
        MessageEditBuilder b = new MessageEditBuilder().setContent(post.text()).setAllowedMentions(MENTIONS);
        b.setAttachments(post.hasPicture() ? List.of(FileUpload.fromData(post.png(), post.fileName())) : List.of());
        return b.build();
    }

    static MessageCreateData createData(Post post) {
        MessageCreateBuilder b = new MessageCreateBuilder().setContent(post.text()).setAllowedMentions(MENTIONS);
        if (post.hasPicture()) {
            b.setFiles(FileUpload.fromData(post.png(), post.fileName()));
        }
        return b.build();
    }
}
