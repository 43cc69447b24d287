package dev.dreamoven.discord;

import dev.dreamoven.bot.Channels;
import dev.dreamoven.bot.DreamBot;

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
import java.util.Set;
import java.util.concurrent.Executor;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.entities.Guild;
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

    private static final String ADMIN_GUILD = "1001";
    private static final String OTHER_GUILD = "1002";
    private static final String CREW_ROLE = "2001";

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
            public List<Baked> search(String prefix, int limit) {
                return List.of(new Baked("00000000000000a1", "a red circle"), new Baked("00000000000000a2", "a red square"),
                        new Baked("00000000000000a3", "a red square " + "and more ".repeat(20))).stream()
                        .filter(b -> b.prompt().startsWith(prefix)).toList();
            }

            @Override
            public java.util.Optional<String> prompt(String id) {
                return search("", 10).stream().filter(b -> b.id().equals(id)).map(Baked::prompt).findFirst();
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
        DreamBot bot = new DreamBot(queue, baked, mock(Channels.class), db, later, () -> 77L, Clock.systemUTC(),
                new DreamBot.Settings(Duration.ofSeconds(3), 3, Duration.ZERO));
        listener = new JdaListener(bot, new Access(ADMIN_GUILD, Set.of(CREW_ROLE), Set.of()), later);
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
        return eventIn(ADMIN_GUILD, name, sub, userId, options, manageServer, roles);
    }

    /** A mocked slash command event in {@code guildId}; {@code roles} are role ids. */
    private SlashCommandInteractionEvent eventIn(String guildId, String name, String sub, String userId,
            Map<String, String> options, boolean manageServer, String... roles) {
        SlashCommandInteractionEvent e = mock(SlashCommandInteractionEvent.class);
        when(e.getName()).thenReturn(name);
        when(e.getSubcommandName()).thenReturn(sub);
        when(e.getId()).thenReturn("interaction-" + userId + "-" + System.nanoTime());
        User user = mock(User.class);
        when(user.getId()).thenReturn(userId);
        when(e.getUser()).thenReturn(user);
        when(e.getChannelIdLong()).thenReturn(555L);
        when(e.getToken()).thenReturn("token-" + userId);
        when(e.getTimeCreated()).thenReturn(java.time.OffsetDateTime.now());
        Member member = mock(Member.class);
        when(member.hasPermission(Permission.MANAGE_SERVER)).thenReturn(manageServer);
        List<Role> roleList = java.util.Arrays.stream(roles).map(r -> {
            Role role = mock(Role.class);
            when(role.getId()).thenReturn(r);
            when(role.getName()).thenReturn("Baker");
            return role;
        }).toList();
        when(member.getRoles()).thenReturn(roleList);
        when(e.getMember()).thenReturn(member);
        Guild guild = mock(Guild.class);
        when(guild.getId()).thenReturn(guildId);
        when(e.getGuild()).thenReturn(guild);
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
        @SuppressWarnings("unchecked")
        RestAction<Object> chained = mock(RestAction.class);
        when(delete.flatMap(any())).thenReturn(chained);
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
    void bakeIsForTheAdminGuildsCrewRoleByIdOrManageServerThereAndForNobodyElsewhere() {
        SlashCommandInteractionEvent stranger = event("bake", "add", "1", Map.of("prompt", "a tree"), false, "999");
        SlashCommandInteractionEvent managerElsewhere = eventIn(OTHER_GUILD, "bake", "add", "4",
                Map.of("prompt", "a tree"), true);
        SlashCommandInteractionEvent crewElsewhere = eventIn(OTHER_GUILD, "bake", "add", "5",
                Map.of("prompt", "a tree"), false, CREW_ROLE);
        for (SlashCommandInteractionEvent refused : List.of(stranger, managerElsewhere, crewElsewhere)) {
            listener.onSlashCommandInteraction(refused);
            verify(refused, never()).deferReply(anyBoolean());
            verify(refused).reply(contains("bakers"));
            verify(refused.reply("")).setEphemeral(true);
        }

        SlashCommandInteractionEvent crew = event("bake", "add", "2", Map.of("prompt", "a tree"), false, CREW_ROLE);
        listener.onSlashCommandInteraction(crew);
        SlashCommandInteractionEvent manager = event("bake", "add", "3", Map.of("prompt", "a bush"), true);
        listener.onSlashCommandInteraction(manager);
        runPendingWork();

        assertThat(jobs()).extracting(r -> r.job().kind()).containsExactly(JobKind.BAKE, JobKind.BAKE);
        assertThat(jobs()).extracting(r -> r.job().requesterId()).containsExactly("2", "3");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRefusalAfterTheAcknowledgementDeletesThePublicPlaceholderFirstAndThenAnswersPrivately() throws Exception {
        listener.onSlashCommandInteraction(event("dream", null, "42", Map.of("prompt", "one"), false));
        runPendingWork();
        assertThat(engine.started.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        SlashCommandInteractionEvent second = event("dream", null, "42", Map.of("prompt", "two"), false);
        listener.onSlashCommandInteraction(second);
        runPendingWork();

        verify(second).deferReply(false);
        InteractionHook hook = second.getHook();
        org.mockito.ArgumentCaptor<java.util.function.Function<Void, RestAction<Object>>> then =
                org.mockito.ArgumentCaptor.forClass(java.util.function.Function.class);
        verify(hook.deleteOriginal()).flatMap(then.capture());
        verify(hook, never()).sendMessage(anyString());
        then.getValue().apply(null);
        verify(hook).sendMessage(contains("already have 1 job queued or running"));
        verify(hook.sendMessage("")).setEphemeral(true);
        assertThat(jobs()).extracting(r -> r.job().request().prompt()).containsExactly("one");
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
    void autocompleteOffersBakedPromptsOffTheGatewayThreadAndALongOneByItsId() {
        CommandAutoCompleteInteractionEvent e = autocomplete("dream", "prompt", "a red s");

        listener.onCommandAutoCompleteInteraction(e);
        verify(e, never()).replyChoices(anyCollection());
        runPendingWork();

        verify(e).replyChoices(argThat((java.util.Collection<net.dv8tion.jda.api.interactions.commands.Command.Choice> c) -> {
            List<net.dv8tion.jda.api.interactions.commands.Command.Choice> l = List.copyOf(c);
            return l.size() == 2 && l.get(0).getName().equals("a red square") && l.get(0).getAsString().equals("a red square")
                    && l.get(1).getName().length() == 100 && l.get(1).getName().endsWith("…")
                    && l.get(1).getAsString().equals("baked:00000000000000a3");
        }));
    }

    @Test
    void aLongBakedPromptPickedByItsIdIsDreamedInFull() {
        listener.onSlashCommandInteraction(event("dream", null, "42", Map.of("prompt", "baked:00000000000000a3"), false));
        runPendingWork();
        assertThat(jobs()).singleElement().satisfies(r -> assertThat(r.job().request().prompt())
                .isEqualTo("a red square " + "and more ".repeat(20)));
    }

    @Test
    void paletteIsOfferedByAutocomplete() {
        CommandAutoCompleteInteractionEvent e = autocomplete("dream", "palette", "g");
        listener.onCommandAutoCompleteInteraction(e);
        runPendingWork();
        verify(e).replyChoices(argThat((java.util.Collection<net.dv8tion.jda.api.interactions.commands.Command.Choice> c) ->
                c.stream().map(net.dv8tion.jda.api.interactions.commands.Command.Choice::getName).toList()
                        .equals(List.of("gameboy"))));
    }

    private static CommandAutoCompleteInteractionEvent autocomplete(String command, String option, String typed) {
        CommandAutoCompleteInteractionEvent e = mock(CommandAutoCompleteInteractionEvent.class);
        when(e.getName()).thenReturn(command);
        AutoCompleteQuery focused = mock(AutoCompleteQuery.class);
        when(focused.getName()).thenReturn(option);
        when(focused.getValue()).thenReturn(typed);
        when(e.getFocusedOption()).thenReturn(focused);
        AutoCompleteCallbackAction action = mock(AutoCompleteCallbackAction.class);
        when(e.replyChoices(anyCollection())).thenReturn(action);
        return e;
    }
}
