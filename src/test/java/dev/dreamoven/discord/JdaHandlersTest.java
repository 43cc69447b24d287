package dev.dreamoven.discord;

import dev.dreamoven.bot.Channels;
import dev.dreamoven.bot.DreamBot;
import dev.dreamoven.bot.ResultMessages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyCollection;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.Mockito.RETURNS_SELF;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.dreamoven.render.BakedPrompts;
import dev.dreamoven.render.FakeEngine;
import dev.dreamoven.render.JobKind;
import dev.dreamoven.render.JobRecord;
import dev.dreamoven.render.RenderQueue;
import dev.dreamoven.store.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.entities.Member;
import net.dv8tion.jda.api.entities.Role;
import net.dv8tion.jda.api.entities.User;
import net.dv8tion.jda.api.events.interaction.command.CommandAutoCompleteInteractionEvent;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.interactions.AutoCompleteQuery;
import net.dv8tion.jda.api.interactions.InteractionHook;
import net.dv8tion.jda.api.interactions.commands.OptionMapping;
import net.dv8tion.jda.api.requests.RestAction;
import net.dv8tion.jda.api.requests.restaction.WebhookMessageCreateAction;
import net.dv8tion.jda.api.requests.restaction.WebhookMessageEditAction;
import net.dv8tion.jda.api.requests.restaction.interactions.AutoCompleteCallbackAction;
import net.dv8tion.jda.api.requests.restaction.interactions.ReplyCallbackAction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JDA adapter and the handlers behind it, with JDA's events mocked. */
class JdaHandlersTest {

    @TempDir
    Path dir;
    private Database db;
    private RenderQueue queue;
    private final Deque<Runnable> pending = new ArrayDeque<>();
    private final Executor later = pending::add;
    private JdaListener listener;
    private final FakeEngine engine = FakeEngine.holding();

    @BeforeEach
    void setUp() {
        db = Database.open(dir.resolve("bot.db"));
        queue = new RenderQueue(db, engine, new RenderQueue.Settings(5, 1, dir.resolve("results"), 2, 5000),
                Clock.systemUTC());
        BakedPrompts baked = new BakedPrompts() {
            @Override
            public List<String> search(String prefix, int limit) {
                return List.of("a red circle", "a red square").stream().filter(p -> p.startsWith(prefix)).toList();
            }

            @Override
            public boolean remove(String prompt) {
                return true;
            }

            @Override
            public String importAttachment(String fileName, byte[] content) {
                return fileName;
            }
        };
        DreamBot bot = new DreamBot(queue, baked, mock(Channels.class), new ResultMessages(db, Clock.systemUTC()), later,
                () -> 77L, Clock.systemUTC(), Duration.ofSeconds(3));
        listener = new JdaListener(bot, "Baker", later);
        queue.start(bot);
    }

    @AfterEach
    void tearDown() {
        engine.release();
        queue.close();
        db.close();
    }

    private void runPendingWork() {
        while (!pending.isEmpty()) {
            pending.poll().run();
        }
    }

    /** A mocked slash command event by user {@code userId} with these options. */
    private SlashCommandInteractionEvent event(String name, String sub, String userId, Map<String, String> options,
            boolean manageServer, String... roles) {
        SlashCommandInteractionEvent e = mock(SlashCommandInteractionEvent.class);
        when(e.getName()).thenReturn(name);
        when(e.getSubcommandName()).thenReturn(sub);
        when(e.getId()).thenReturn("interaction-" + userId + "-" + System.nanoTime());
        User user = mock(User.class);
        when(user.getId()).thenReturn(userId);
        when(e.getUser()).thenReturn(user);
        when(e.getChannelIdLong()).thenReturn(555L);
        Member member = mock(Member.class);
        when(member.hasPermission(Permission.MANAGE_SERVER)).thenReturn(manageServer);
        List<Role> roleList = java.util.Arrays.stream(roles).map(r -> {
            Role role = mock(Role.class);
            when(role.getName()).thenReturn(r);
            return role;
        }).toList();
        when(member.getRoles()).thenReturn(roleList);
        when(e.getMember()).thenReturn(member);
        options.forEach((k, v) -> {
            OptionMapping o = mock(OptionMapping.class);
            when(o.getAsString()).thenReturn(v);
            when(e.getOption(k)).thenReturn(o);
        });
        ReplyCallbackAction deferAction = mock(ReplyCallbackAction.class, RETURNS_SELF);
        when(e.deferReply(anyBoolean())).thenReturn(deferAction);
        ReplyCallbackAction replyAction = mock(ReplyCallbackAction.class, RETURNS_SELF);
        when(e.reply(anyString())).thenReturn(replyAction);
        InteractionHook hook = mock(InteractionHook.class);
        when(hook.isExpired()).thenReturn(false);
        @SuppressWarnings("unchecked")
        WebhookMessageEditAction<net.dv8tion.jda.api.entities.Message> edit = mock(WebhookMessageEditAction.class, RETURNS_SELF);
        when(hook.editOriginal(anyString())).thenReturn(edit);
        when(hook.editOriginal(any(net.dv8tion.jda.api.utils.messages.MessageEditData.class))).thenReturn(edit);
        @SuppressWarnings("unchecked")
        WebhookMessageCreateAction<net.dv8tion.jda.api.entities.Message> send = mock(WebhookMessageCreateAction.class, RETURNS_SELF);
        when(hook.sendMessage(anyString())).thenReturn(send);
        @SuppressWarnings("unchecked")
        RestAction<Void> delete = mock(RestAction.class);
        when(hook.deleteOriginal()).thenReturn(delete);
        when(e.getHook()).thenReturn(hook);
        return e;
    }

    private List<JobRecord> jobs() {
        return queue.snapshot(100);
    }

    @Test
    void aDreamIsAcknowledgedBeforeAnyWorkAndThenShowsItsQueuePosition() {
        SlashCommandInteractionEvent e = event("dream", null, "42", Map.of("prompt", "a red circle", "size", "32"), false);

        listener.onSlashCommandInteraction(e);

        verify(e).deferReply(false);
        assertThat(jobs()).as("nothing is queued on the gateway thread").isEmpty();
        assertThat(pending).hasSize(1);

        runPendingWork();

        assertThat(jobs()).singleElement().satisfies(r -> {
            assertThat(r.job().requesterId()).isEqualTo("42");
            assertThat(r.job().request().prompt()).isEqualTo("a red circle");
            assertThat(r.job().request().size()).isEqualTo(32);
            assertThat(r.job().request().seed()).isEqualTo(77L);
            assertThat(r.job().origin().channelId()).isEqualTo("555");
        });
        var order = inOrder(e, e.getHook());
        order.verify(e).deferReply(false);
        order.verify(e.getHook()).editOriginal(argThat((net.dv8tion.jda.api.utils.messages.MessageEditData m) ->
                m.getContent().contains("is job #1, position 1")));
    }

    @Test
    void badInputGetsAnEphemeralErrorAndIsNeitherDeferredNorQueued() {
        for (Map<String, String> bad : List.of(Map.of("prompt", "   "), Map.of("prompt", "x".repeat(301)),
                Map.of("prompt", "a\u0007bell"), Map.of("prompt", "ok", "size", "8"), Map.of("prompt", "ok", "steps", "2001"),
                Map.of("prompt", "ok", "palette", "rainbow"))) {
            SlashCommandInteractionEvent e = event("dream", null, "42", bad, false);
            listener.onSlashCommandInteraction(e);
            verify(e, never()).deferReply(anyBoolean());
            verify(e).reply(anyString());
            verify(e.reply("")).setEphemeral(true);
        }
        assertThat(pending).isEmpty();
        assertThat(jobs()).isEmpty();
    }

    @Test
    void bakeIsForManageServerOrTheAdminRoleOnly() {
        SlashCommandInteractionEvent stranger = event("bake", "add", "1", Map.of("prompt", "a tree"), false, "Member");
        listener.onSlashCommandInteraction(stranger);
        verify(stranger, never()).deferReply(anyBoolean());
        verify(stranger).reply(contains("Manage Server"));
        verify(stranger.reply("")).setEphemeral(true);

        SlashCommandInteractionEvent baker = event("bake", "add", "2", Map.of("prompt", "a tree"), false, "baker");
        listener.onSlashCommandInteraction(baker);
        SlashCommandInteractionEvent manager = event("bake", "add", "3", Map.of("prompt", "a bush"), true);
        listener.onSlashCommandInteraction(manager);
        runPendingWork();

        assertThat(jobs()).extracting(r -> r.job().kind()).containsExactly(JobKind.BAKE, JobKind.BAKE);
        assertThat(jobs()).extracting(r -> r.job().requesterId()).containsExactly("2", "3");
    }

    @Test
    void aRefusalAfterTheAcknowledgementReplacesThePublicPlaceholderWithAPrivateMessage() throws Exception {
        listener.onSlashCommandInteraction(event("dream", null, "42", Map.of("prompt", "one"), false));
        runPendingWork();
        assertThat(engine.started.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        listener.onSlashCommandInteraction(event("dream", null, "42", Map.of("prompt", "two"), false));
        SlashCommandInteractionEvent third = event("dream", null, "42", Map.of("prompt", "three"), false);
        listener.onSlashCommandInteraction(third);
        runPendingWork();

        verify(third).deferReply(false);
        verify(third.getHook()).deleteOriginal();
        verify(third.getHook()).sendMessage(contains("already have 1 jobs waiting"));
        verify(third.getHook().sendMessage("")).setEphemeral(true);
        assertThat(jobs()).extracting(r -> r.job().request().prompt()).containsExactly("one", "two");
    }

    @Test
    void queueAndCancelAnswerPrivatelyFromTheWorker() {
        // job #1 runs (the engine holds it) until /cancel stops it
        listener.onSlashCommandInteraction(event("dream", null, "42", Map.of("prompt", "one"), false));
        runPendingWork();
        SlashCommandInteractionEvent q = event("queue", null, "42", Map.of(), false);
        listener.onSlashCommandInteraction(q);
        verify(q).deferReply(true);
        runPendingWork();
        verify(q.getHook()).editOriginal(contains("#1 dream \"one\" (you)"));

        SlashCommandInteractionEvent c = event("cancel", null, "42", Map.of(), false);
        listener.onSlashCommandInteraction(c);
        runPendingWork();
        verify(c.getHook()).editOriginal(contains("job #1"));
        long end = System.nanoTime() + 5_000_000_000L;
        while (!jobs().isEmpty() && System.nanoTime() < end) {
            Thread.onSpinWait();
        }
        assertThat(jobs()).isEmpty();
    }

    @Test
    void autocompleteOffersBakedPromptsOffTheGatewayThread() {
        CommandAutoCompleteInteractionEvent e = mock(CommandAutoCompleteInteractionEvent.class);
        AutoCompleteQuery focused = mock(AutoCompleteQuery.class);
        when(focused.getValue()).thenReturn("a red s");
        when(e.getFocusedOption()).thenReturn(focused);
        AutoCompleteCallbackAction action = mock(AutoCompleteCallbackAction.class);
        when(e.replyChoiceStrings(anyCollection())).thenReturn(action);

        listener.onCommandAutoCompleteInteraction(e);
        verify(e, never()).replyChoiceStrings(anyCollection());
        runPendingWork();

        verify(e).replyChoiceStrings(argThat((java.util.Collection<String> c) -> List.copyOf(c).equals(List.of("a red square"))));
    }
}
