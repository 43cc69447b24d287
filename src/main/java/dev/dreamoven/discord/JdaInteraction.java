package dev.dreamoven.discord;

import dev.dreamoven.bot.Attachment;
import dev.dreamoven.bot.Interaction;
import dev.dreamoven.bot.Post;
import dev.dreamoven.bot.ReplyHandle;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.entities.Guild;
import net.dv8tion.jda.api.entities.Member;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.entities.channel.attribute.IPermissionContainer;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.interactions.InteractionHook;
import net.dv8tion.jda.api.interactions.commands.OptionMapping;
import net.dv8tion.jda.api.utils.FileUpload;
import net.dv8tion.jda.api.utils.messages.MessageCreateBuilder;
import net.dv8tion.jda.api.utils.messages.MessageCreateData;
import net.dv8tion.jda.api.utils.messages.MessageEditBuilder;
import net.dv8tion.jda.api.utils.messages.MessageEditData;

/** A slash command from JDA as an {@link Interaction}. Every REST call is queued, never awaited, and logged if it fails. */
final class JdaInteraction implements Interaction {

    /** Only the requester is pinged; prompts cannot ping @everyone or roles. */
    static final EnumSet<Message.MentionType> MENTIONS = EnumSet.of(Message.MentionType.USER);
    /** Private answers ping nobody. */
    static final EnumSet<Message.MentionType> NO_MENTIONS = EnumSet.noneOf(Message.MentionType.class);

    /** What a result needs in its channel once the interaction has expired, or after a restart. */
    static final List<Permission> RESULT_PERMISSIONS = List.of(Permission.VIEW_CHANNEL, Permission.MESSAGE_SEND,
            Permission.MESSAGE_ATTACH_FILES, Permission.MESSAGE_ADD_REACTION, Permission.MESSAGE_HISTORY);

    /** Discord's lifetime of an interaction token, less a margin for the request on its way. */
    static final Duration TOKEN_LIFETIME = Duration.ofMinutes(15).minusSeconds(10);

    private final SlashCommandInteractionEvent event;
    private final Access access;
    private volatile boolean deferred;
    private volatile boolean deferredEphemeral;

    JdaInteraction(SlashCommandInteractionEvent event, Access access) {
        this.event = event;
        this.access = access;
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

    /** In the admin guild, with an admin role (by id) or Manage Server there; nowhere else. */
    @Override
    public boolean mayBake() {
        Member m = event.getMember();
        if (m == null || !access.hasAdminGuild() || !access.adminGuild().equals(guildId())) {
            return false;
        }
        return m.hasPermission(Permission.MANAGE_SERVER)
                || m.getRoles().stream().anyMatch(r -> access.adminRoles().contains(r.getId()));
    }

    @Override
    public boolean mayModerate() {
        Member m = event.getMember();
        return m != null && m.hasPermission(Permission.MANAGE_SERVER);
    }

    @Override
    public boolean isOwner() {
        return access.owners().contains(userId());
    }

    @Override
    public List<String> missingChannelPermissions() {
        Guild guild = event.getGuild();
        if (guild == null || !event.isFromGuild()) {
            return List.of();
        }
        IPermissionContainer channel = event.getGuildChannel().getPermissionContainer();
        Member self = guild.getSelfMember();
        return RESULT_PERMISSIONS.stream().filter(p -> !self.hasPermission(channel, p)).map(Permission::getName).toList();
    }

    @Override
    public Optional<ReplyHandle> handle() {
        return Optional.of(new ReplyHandle(event.getId(), event.getToken(),
                event.getTimeCreated().toInstant().plus(TOKEN_LIFETIME)));
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
        event.deferReply(ephemeral).queue(RestFailures.ignored(), RestFailures.logged("acknowledging " + what()));
    }

    @Override
    public void reply(String text) {
        if (deferred) {
            event.getHook().editOriginal(text).setAllowedMentions(MENTIONS)
                    .queue(RestFailures.ignored(), RestFailures.logged("answering " + what()));
        } else {
            event.reply(text).setAllowedMentions(MENTIONS)
                    .queue(RestFailures.ignored(), RestFailures.logged("answering " + what()));
        }
    }

    /**
     * Only the user sees it: an ephemeral reply; after a public deferral the public placeholder is deleted first
     * and only then the ephemeral follow-up sent (in parallel, the follow-up could land first, replace the public
     * placeholder and be deleted with it).
     */
    @Override
    public void replyPrivately(String text) {
        String what = "refusing " + what();
        if (!deferred) {
            event.reply(text).setEphemeral(true).setAllowedMentions(NO_MENTIONS)
                    .queue(RestFailures.ignored(), RestFailures.logged(what));
        } else if (deferredEphemeral) {
            event.getHook().editOriginal(text).setAllowedMentions(NO_MENTIONS)
                    .queue(RestFailures.ignored(), RestFailures.logged(what));
        } else {
            InteractionHook hook = event.getHook();
            hook.deleteOriginal()
                    .flatMap(gone -> hook.sendMessage(text).setEphemeral(true).setAllowedMentions(NO_MENTIONS))
                    .queue(RestFailures.ignored(), RestFailures.logged(what));
        }
    }

    @Override
    public boolean edit(Post post) {
        InteractionHook hook = event.getHook();
        if (hook.isExpired()) {
            return false;
        }
        hook.editOriginal(editData(post)).queue(RestFailures.ignored(), RestFailures.logged("editing the reply to "
                + what()));
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

    private String what() {
        return "/" + command() + " (interaction " + id() + ")";
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
