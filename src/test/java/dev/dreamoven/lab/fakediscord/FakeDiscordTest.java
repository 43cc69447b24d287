package dev.dreamoven.lab.fakediscord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.entities.channel.concrete.TextChannel;
import net.dv8tion.jda.api.entities.emoji.Emoji;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.events.message.react.MessageReactionAddEvent;
import net.dv8tion.jda.api.events.message.react.MessageReactionRemoveEvent;
import net.dv8tion.jda.api.events.session.SessionResumeEvent;
import net.dv8tion.jda.api.exceptions.ErrorResponseException;
import net.dv8tion.jda.api.exceptions.InsufficientPermissionException;
import net.dv8tion.jda.api.hooks.EventListener;
import net.dv8tion.jda.api.interactions.InteractionHook;
import net.dv8tion.jda.api.interactions.commands.Command;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.requests.ErrorResponse;
import net.dv8tion.jda.api.requests.GatewayIntent;
import net.dv8tion.jda.api.utils.FileUpload;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** The fake against the real JDA client: login, a slash command's whole reply, reactions, scripted failures. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FakeDiscordTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String REPEAT = "🔁";

    private final long guildId = Snowflakes.next();
    private final long general = Snowflakes.next();
    private final long locked = Snowflakes.next();
    private final long alice = Snowflakes.next();
    private final long bob = Snowflakes.next();
    private final long botId = Snowflakes.next();

    private FakeDiscord fake;
    private JDA jda;
    private EventListener listener;

    @BeforeAll
    void login() throws InterruptedException {
        fake = FakeDiscord.builder()
                .botUser(botId, "Dream Oven")
                .heartbeatInterval(Duration.ofMillis(300))
                .guild(FakeGuild.builder(guildId, "Oven Test")
                        .member(alice, "alice")
                        .member(bob, "bob")
                        .textChannel(general, "general")
                        .textChannel(locked, "no-reactions", Overwrite.denyMember(botId, Permission.MESSAGE_ADD_REACTION))
                        .build())
                .start();
        jda = FakeDiscordJda.light(fake, GatewayIntent.GUILD_MESSAGE_REACTIONS).build();
        jda.awaitReady();
    }

    @AfterEach
    void reset() {
        fake.clearRules();
        if (listener != null) {
            jda.removeEventListener(listener);
            listener = null;
        }
    }

    @AfterAll
    void shutdown() throws InterruptedException {
        if (jda != null) {
            jda.shutdownNow();
            jda.awaitShutdown(Duration.ofSeconds(5));
        }
        if (fake != null) {
            fake.close();
        }
    }

    private void listen(EventListener l) {
        listener = l;
        jda.addEventListener(l);
    }

    @Test
    void jdaLogsInAndSeesTheGuildWithoutEverSeeingTheTokenInTheRecords() {
        assertThat(jda.getSelfUser().getIdLong()).isEqualTo(botId);
        assertThat(jda.getSelfUser().getApplicationIdLong()).isEqualTo(fake.applicationId());
        assertThat(jda.getGuildById(guildId)).isNotNull();
        assertThat(jda.getGuildById(guildId).getSelfMember().getIdLong()).isEqualTo(botId);
        assertThat(jda.getTextChannelById(general)).isNotNull();
        assertThat(jda.getGuildById(guildId).getSelfMember()
                .hasPermission(jda.getTextChannelById(locked), Permission.MESSAGE_ADD_REACTION)).isFalse();

        RecordedRequest me = fake.awaitRequest("GET", "/users/@me", WAIT);
        assertThat(me.authorized()).isTrue();
        assertThat(me.header("Authorization")).isEqualTo("<redacted>");
        RecordedFrame identify = fake.frames().await(f -> f.fromClient(FakeGateway.IDENTIFY), WAIT);
        assertThat(identify.data().get("intents").getAsLong() & FakeDiscord.INTENT_GUILD_MESSAGE_REACTIONS).isNotZero();
        RecordedFrame ready = fake.frames().await(f -> f.isDispatch("READY"), WAIT);
        assertThat(ready.data().get("resume_gateway_url").getAsString()).isEqualTo(fake.gatewayUrl());
        fake.frames().await(f -> f.isDispatch("GUILD_CREATE"), WAIT);
        assertThat(fake.requests().all()).allSatisfy(r -> assertThat(r.headers().toString()).doesNotContain(fake.token()));
        assertThat(fake.frames().all()).allSatisfy(f -> assertThat(f.json().toString()).doesNotContain(fake.token()));
    }

    @Test
    void aSlashCommandIsDeferredEditedAnsweredWithAPngAndReactedTo() throws Exception {
        byte[] png = png(8, 6);
        CompletableFuture<Message> done = new CompletableFuture<>();
        listen(event -> {
            if (event instanceof SlashCommandInteractionEvent slash && slash.getName().equals("dream")) {
                String prompt = slash.getOption("prompt").getAsString();
                slash.deferReply()
                        .flatMap(hook -> hook.editOriginal("dreaming of " + prompt))
                        .flatMap(edited -> slash.getHook().sendFiles(FileUpload.fromData(png, "dream.png"))
                                .setContent("prompt: " + prompt))
                        .flatMap(result -> result.addReaction(Emoji.fromUnicode(REPEAT)).map(ok -> result))
                        .queue(done::complete, done::completeExceptionally);
            }
        });

        FakeInteraction interaction = fake.slashCommand(
                SlashCommand.named("dream").option("prompt", "a red fox").in(guildId, general).by(alice));
        Message result = done.get(10, TimeUnit.SECONDS);

        String token = interaction.token();
        RecordedRequest ack = fake.awaitRequest("POST", "/interactions/" + interaction.id() + "/" + token + "/callback",
                WAIT);
        assertThat(ack.jsonObject().get("type").getAsInt()).isEqualTo(5);
        assertThat(ack.queryParam("with_response")).isEqualTo("true");
        assertThat(interaction.callbackType()).isEqualTo(5);
        assertThat(Duration.between(interaction.dispatchedAt(), interaction.ackedAt())).isLessThan(Duration.ofSeconds(3));

        RecordedRequest edit = fake.awaitRequest("PATCH", "/webhooks/*/" + token + "/messages/@original", WAIT);
        assertThat(edit.jsonObject().get("content").getAsString()).isEqualTo("dreaming of a red fox");

        RecordedRequest upload = fake.awaitRequest(r -> r.is("POST", "/webhooks/*/" + token) && r.isMultipart(), WAIT);
        assertThat(upload.queryParam("wait")).isEqualTo("true");
        assertThat(upload.files()).singleElement().satisfies(f -> {
            assertThat(f.name()).isEqualTo("files[0]");
            assertThat(f.filename()).isEqualTo("dream.png");
            assertThat(f.bytes()).isEqualTo(png);
        });
        assertThat(upload.jsonObject().get("content").getAsString()).isEqualTo("prompt: a red fox");

        RecordedRequest react = fake.awaitRequest("PUT",
                "/channels/" + general + "/messages/" + result.getId() + "/reactions/" + REPEAT + "/@me", WAIT);
        assertThat(react.status()).isEqualTo(204);

        FakeMessage original = fake.message(interaction.originalMessageId());
        assertThat(original.content()).isEqualTo("dreaming of a red fox");
        assertThat(original.loading()).isFalse();
        assertThat(original.publiclyVisible()).isTrue();
        FakeMessage posted = fake.message(result.getIdLong());
        assertThat(posted.interactionId()).isEqualTo(interaction.id());
        assertThat(posted.attachments()).singleElement().satisfies(a -> {
            assertThat(a.filename()).isEqualTo("dream.png");
            assertThat(a.width()).isEqualTo(8);
            assertThat(a.height()).isEqualTo(6);
        });
        assertThat(result.getAttachments()).singleElement()
                .satisfies(a -> assertThat(a.getFileName()).isEqualTo("dream.png"));
        assertThat(posted.reactions()).containsKey(REPEAT);
        assertThat(posted.reactions().get(REPEAT)).containsExactly(botId);
        fake.frames().await(f -> f.isDispatch("MESSAGE_REACTION_ADD")
                && f.data().get("message_id").getAsString().equals(result.getId()), WAIT);

        HttpResponse<byte[]> download = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(result.getAttachments().get(0).getUrl())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.body()).isEqualTo(png);
    }

    @Test
    void reactionsOfMembersReachTheListener() throws Exception {
        Message message = jda.getTextChannelById(general).sendMessage("a result").complete();
        CompletableFuture<MessageReactionAddEvent> added = new CompletableFuture<>();
        CompletableFuture<MessageReactionRemoveEvent> removed = new CompletableFuture<>();
        listen(event -> {
            if (event instanceof MessageReactionAddEvent add && add.getUserIdLong() == bob) {
                added.complete(add);
            } else if (event instanceof MessageReactionRemoveEvent remove && remove.getUserIdLong() == bob) {
                removed.complete(remove);
            }
        });

        fake.addReaction(general, message.getIdLong(), bob, REPEAT);
        MessageReactionAddEvent add = added.get(10, TimeUnit.SECONDS);
        assertThat(add.getMessageIdLong()).isEqualTo(message.getIdLong());
        assertThat(add.getEmoji()).isEqualTo(Emoji.fromUnicode(REPEAT));
        assertThat(add.getMember()).isNotNull();
        assertThat(add.getMessageAuthorIdLong()).isEqualTo(botId);
        assertThat(fake.message(message.getIdLong()).reactions().get(REPEAT)).containsExactly(bob);

        fake.removeReaction(general, message.getIdLong(), bob, REPEAT);
        assertThat(removed.get(10, TimeUnit.SECONDS).getEmoji()).isEqualTo(Emoji.fromUnicode(REPEAT));
        assertThat(fake.message(message.getIdLong()).reactions()).doesNotContainKey(REPEAT);
    }

    @Test
    void aRateLimitedRouteIsRetriedByJdaAndSucceedsOnce() {
        RouteRule rule = fake.when("POST", "/channels/" + general + "/messages").rateLimited(Duration.ofSeconds(1));
        int before = fake.requests().size();

        Message sent = jda.getTextChannelById(general).sendMessage("after a 429").complete();

        var posts = fake.requests().since(before).stream()
                .filter(r -> r.is("POST", "/channels/*/messages")).toList();
        assertThat(posts).extracting(RecordedRequest::status).containsExactly(429, 200);
        assertThat(Duration.between(posts.get(0).at(), posts.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertThat(rule.hits()).isEqualTo(1);
        assertThat(fake.messagesIn(general).stream().filter(m -> m.content().equals("after a 429")))
                .singleElement().satisfies(m -> assertThat(m.id()).isEqualTo(sent.getIdLong()));
    }

    @Test
    void scriptedFailuresReachJdaAsErrorResponsesThenTheRouteRecovers() {
        TextChannel channel = jda.getTextChannelById(general);
        fake.when("POST", "/channels/*/messages").missingPermissions();
        assertThatThrownBy(() -> channel.sendMessage("x").complete())
                .isInstanceOfSatisfying(ErrorResponseException.class,
                        e -> assertThat(e.getErrorResponse()).isEqualTo(ErrorResponse.MISSING_PERMISSIONS));

        fake.when("POST", "/channels/*/messages").serverError().times(2);
        assertThatThrownBy(() -> channel.sendMessage("x").complete())
                .isInstanceOfSatisfying(ErrorResponseException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo(0));
        assertThatThrownBy(() -> channel.sendMessage("x").complete()).isInstanceOf(ErrorResponseException.class);

        fake.when("POST", "/channels/*/messages").delay(Duration.ofMillis(300));
        long start = System.nanoTime();
        Message ok = channel.sendMessage("finally").complete();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(fake.message(ok.getIdLong()).content()).isEqualTo("finally");
        assertThat(fake.messagesIn(general).stream().filter(m -> m.content().equals("x"))).isEmpty();
    }

    @Test
    void channelPermissionsAreCheckedByJdaFromGuildCreateAndEnforcedByTheFake() throws Exception {
        assertThat(fake.botPermissions(locked) & Permission.MESSAGE_ADD_REACTION.getRawValue()).isZero();
        Message message = jda.getTextChannelById(locked).sendMessage("no reactions here").complete();
        int before = fake.requests().size();

        assertThatThrownBy(() -> message.addReaction(Emoji.fromUnicode(REPEAT)).complete())
                .isInstanceOf(InsufficientPermissionException.class);
        assertThat(fake.requests().since(before)).noneMatch(r -> r.path().contains("/reactions/"));

        HttpResponse<String> direct = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        fake.apiBaseUrl() + "channels/" + locked + "/messages/" + message.getId() + "/reactions/"
                                + java.net.URLEncoder.encode(REPEAT, StandardCharsets.UTF_8) + "/%40me"))
                .header("Authorization", "Bot " + fake.token())
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(direct.statusCode()).isEqualTo(403);
        assertThat(direct.body()).contains("50013");
    }

    @Test
    void aPublicDeferralMakesTheFirstFollowUpReplaceTheOriginalInPublic() throws Exception {
        CompletableFuture<Message> followUp = new CompletableFuture<>();
        listen(event -> {
            if (event instanceof SlashCommandInteractionEvent slash && slash.getName().equals("refuse")) {
                slash.deferReply()
                        .flatMap(hook -> hook.sendMessage("queue is full").setEphemeral(true))
                        .queue(followUp::complete, followUp::completeExceptionally);
            }
        });
        FakeInteraction interaction = fake.slashCommand(SlashCommand.named("refuse").in(guildId, general).by(alice));
        Message sent = followUp.get(10, TimeUnit.SECONDS);

        assertThat(sent.getIdLong()).isEqualTo(interaction.originalMessageId());
        FakeMessage original = fake.message(interaction.originalMessageId());
        assertThat(original.content()).isEqualTo("queue is full");
        assertThat(original.publiclyVisible()).isTrue();
        RecordedRequest request = fake.awaitRequest("POST", "/webhooks/*/" + interaction.token(), WAIT);
        assertThat(request.jsonObject().get("flags").getAsInt() & FakeMessage.FLAG_EPHEMERAL).isNotZero();
    }

    @Test
    void deletingTheOriginalThenAnEphemeralFollowUpLeavesOnlyTheRequesterSeeingIt() throws Exception {
        CompletableFuture<Message> followUp = new CompletableFuture<>();
        listen(event -> {
            if (event instanceof SlashCommandInteractionEvent slash && slash.getName().equals("refuse-properly")) {
                InteractionHook hook = slash.getHook();
                slash.deferReply()
                        .flatMap(h -> h.deleteOriginal())
                        .flatMap(ok -> hook.sendMessage("queue is full").setEphemeral(true))
                        .queue(followUp::complete, followUp::completeExceptionally);
            }
        });
        FakeInteraction interaction = fake.slashCommand(
                SlashCommand.named("refuse-properly").in(guildId, general).by(alice));
        Message sent = followUp.get(10, TimeUnit.SECONDS);

        fake.awaitRequest("DELETE", "/webhooks/*/" + interaction.token() + "/messages/@original", WAIT);
        assertThat(fake.message(interaction.originalMessageId()).deleted()).isTrue();
        FakeMessage refusal = fake.message(sent.getIdLong());
        assertThat(refusal.id()).isNotEqualTo(interaction.originalMessageId());
        assertThat(refusal.ephemeral()).isTrue();
        assertThat(refusal.publiclyVisible()).isFalse();
        assertThat(fake.messagesIn(general).stream()
                .filter(m -> m.interactionId() == interaction.id() && m.publiclyVisible())).isEmpty();
    }

    @Test
    void channelMessagesAreCreatedEditedAndDeleted() {
        TextChannel channel = jda.getTextChannelById(general);
        Message message = channel.sendMessage("first").complete();
        message.editMessage("second").complete();
        assertThat(fake.message(message.getIdLong()).content()).isEqualTo("second");
        assertThat(fake.message(message.getIdLong()).edits()).isEqualTo(1);
        assertThat(channel.retrieveMessageById(message.getId()).complete().getContentRaw()).isEqualTo("second");

        message.delete().complete();
        assertThat(fake.message(message.getIdLong()).deleted()).isTrue();
        assertThatThrownBy(() -> channel.retrieveMessageById(message.getId()).complete())
                .isInstanceOfSatisfying(ErrorResponseException.class,
                        e -> assertThat(e.getErrorResponse()).isEqualTo(ErrorResponse.UNKNOWN_MESSAGE));
    }

    @Test
    void aSecondMessageWithTheSameEnforcedNonceReturnsTheFirstAndCreatesNothing() {
        TextChannel channel = jda.getTextChannelById(general);
        int before = fake.messagesIn(general).size();

        Message first = channel.sendMessage("once").setNonce("job-41").complete();
        Message again = channel.sendMessage("once").setNonce("job-41").complete();
        Message other = channel.sendMessage("once").setNonce("job-42").complete();

        assertThat(again.getIdLong()).isEqualTo(first.getIdLong());
        assertThat(other.getIdLong()).isNotEqualTo(first.getIdLong());
        assertThat(fake.messagesIn(general)).hasSize(before + 2);
        assertThat(fake.requests().all(r -> r.is("POST", "/channels/" + general + "/messages")
                && "job-41".equals(r.jsonObject().get("nonce").getAsString())))
                .hasSize(2).allSatisfy(r -> {
                    assertThat(r.status()).isEqualTo(200);
                    assertThat(r.jsonObject().get("enforce_nonce").getAsBoolean()).isTrue();
                });
    }

    @Test
    void aPostWhoseAnswerWasLostIsNotMadeTwiceWhenItIsSentAgainWithItsNonce() {
        TextChannel channel = jda.getTextChannelById(general);
        RouteRule lost = fake.when("POST", "/channels/" + general + "/messages").serverError().afterHandling();

        assertThatThrownBy(() -> channel.sendMessage("the answer is lost").setNonce("job-43").complete())
                .isInstanceOf(ErrorResponseException.class);
        Message again = channel.sendMessage("the answer is lost").setNonce("job-43").complete();

        assertThat(lost.hits()).isEqualTo(1);
        assertThat(fake.messagesIn(general).stream().filter(m -> m.content().equals("the answer is lost")))
                .singleElement().satisfies(m -> assertThat(m.id()).isEqualTo(again.getIdLong()));
    }

    @Test
    void withoutANonceOfItsOwnEveryMessageIsNew() {
        TextChannel channel = jda.getTextChannelById(general);
        Message first = channel.sendMessage("twice").complete();
        Message second = channel.sendMessage("twice").complete();
        assertThat(second.getIdLong()).as("JDA's own nonce is random").isNotEqualTo(first.getIdLong());
    }

    @Test
    void aDroppedConnectionIsResumedAtTheFakesOwnUrl() throws Exception {
        CompletableFuture<SessionResumeEvent> resumed = new CompletableFuture<>();
        CompletableFuture<MessageReactionAddEvent> added = new CompletableFuture<>();
        listen(event -> {
            if (event instanceof SessionResumeEvent resume) {
                resumed.complete(resume);
            } else if (event instanceof MessageReactionAddEvent add && add.getUserIdLong() == alice) {
                added.complete(add);
            }
        });
        int before = fake.frames().size();
        fake.disconnect(0, 4000);

        resumed.get(10, TimeUnit.SECONDS);
        fake.frames().await(f -> f.seq() >= before && f.fromClient(FakeGateway.RESUME), WAIT);
        fake.frames().await(f -> f.seq() >= before && f.isDispatch("RESUMED"), WAIT);
        assertThat(fake.frames().since(before)).noneMatch(f -> f.fromClient(FakeGateway.IDENTIFY));

        Message message = jda.getTextChannelById(general).sendMessage("after resume").complete();
        fake.addReaction(general, message.getIdLong(), alice, REPEAT);
        assertThat(added.get(10, TimeUnit.SECONDS).getMessageIdLong()).isEqualTo(message.getIdLong());
    }

    @Test
    void heartbeatsAreAcknowledged() {
        fake.frames().await(f -> f.fromClient(FakeGateway.HEARTBEAT), WAIT);
        fake.frames().await(f -> f.direction() == RecordedFrame.Direction.TO_CLIENT
                && f.op() == FakeGateway.HEARTBEAT_ACK, WAIT);
        assertThat(jda.getGatewayPing()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void anInteractionDatedSixteenMinutesBackHasAnExpiredToken() throws Exception {
        CompletableFuture<InteractionHook> deferred = new CompletableFuture<>();
        listen(event -> {
            if (event instanceof SlashCommandInteractionEvent slash && slash.getName().equals("late")) {
                slash.deferReply().queue(deferred::complete, deferred::completeExceptionally);
            }
        });
        FakeInteraction interaction = fake.slashCommand(SlashCommand.named("late").in(guildId, general).by(alice)
                .issuedAt(Instant.now().minus(Duration.ofMinutes(16))));
        InteractionHook hook = deferred.get(10, TimeUnit.SECONDS);

        assertThat(interaction.tokenExpired()).isTrue();
        assertThat(hook.isExpired()).isTrue();
        HttpResponse<String> edit = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        fake.apiBaseUrl() + "webhooks/" + fake.applicationId() + "/" + interaction.token()
                                + "/messages/%40original"))
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"content\":\"too late\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(edit.statusCode()).isEqualTo(401);
        assertThat(edit.body()).contains("50027");
    }

    @Test
    void commandsAreRegisteredGloballyAndPerGuild() {
        var global = jda.updateCommands()
                .addCommands(Commands.slash("dream", "Dream a picture")
                        .addOption(OptionType.STRING, "prompt", "what to dream", true))
                .complete();
        var perGuild = jda.getGuildById(guildId).updateCommands()
                .addCommands(Commands.slash("bake", "Manage baked prompts"))
                .complete();

        assertThat(global).extracting(Command::getName).containsExactly("dream");
        assertThat(perGuild).extracting(Command::getName).containsExactly("bake");
        assertThat(fake.awaitRequest("PUT", "/applications/" + fake.applicationId() + "/commands", WAIT)
                .json().getAsJsonArray()).hasSize(1);
        fake.awaitRequest("PUT", "/applications/*/guilds/" + guildId + "/commands", WAIT);
        assertThat(fake.registeredCommands(0).get(0).getAsJsonObject().get("id").getAsString())
                .isEqualTo(global.get(0).getId());
        assertThat(fake.registeredCommands(guildId)).hasSize(1);
    }

    static byte[] png(int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        image.setRGB(1, 1, 0xFF4400);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
