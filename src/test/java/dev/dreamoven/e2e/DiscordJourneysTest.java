package dev.dreamoven.e2e;

import static dev.dreamoven.e2e.World.DELETE;
import static dev.dreamoven.e2e.World.RERUN;
import static dev.dreamoven.e2e.World.WAIT;
import static dev.dreamoven.e2e.World.awaitAck;
import static dev.dreamoven.e2e.World.awaitMessage;
import static dev.dreamoven.e2e.World.isResult;
import static dev.dreamoven.e2e.World.resultPicture;
import static dev.dreamoven.e2e.World.uploads;
import static dev.dreamoven.e2e.World.webhookOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.dreamoven.lab.fakediscord.FakeDiscord;
import dev.dreamoven.lab.fakediscord.FakeInteraction;
import dev.dreamoven.lab.fakediscord.FakeMessage;
import dev.dreamoven.lab.fakediscord.RecordedRequest;
import dev.dreamoven.lab.fakediscord.RouteRule;
import dev.dreamoven.lab.fakediscord.SlashCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journeys of a running bot, each asserted on what the fake Discord received from the real {@code serve}:
 * one fake and one {@code serve} for the whole class (the journeys use different members, so per-user limits do
 * not meet).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DiscordJourneysTest {

    @TempDir
    static Path dir;
    private final World w = new World();
    private FakeDiscord fake;
    private Serve serve;

    @BeforeAll
    void start() {
        fake = w.fake().start();
        serve = Serve.inProcess(Serve.config(dir, w.settings()), Serve.environment(fake)).awaitOnline(fake, 0);
    }

    @AfterEach
    void quiet() {
        fake.clearRules();
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (serve != null) {
            serve.close();
        }
        if (fake != null) {
            fake.close();
        }
    }

    private FakeInteraction dream(long user, String prompt, long seed) {
        return w.dream(fake, user, prompt, seed);
    }

    /** The result message of the dream of interaction {@code i} (the follow-up under its reply). */
    private FakeMessage awaitResult(FakeInteraction i) {
        return awaitMessage(fake, m -> m.interactionId() == i.id() && isResult(m) && !m.deleted(),
                "the result of " + i);
    }

    @Test
    void aDreamIsAcknowledgedPreviewedUploadedAndAnotherMembersRerunPostsASecondResult() {
        FakeInteraction i = dream(w.alice, "a red circle", 7);

        RecordedRequest ack = awaitAck(fake, i);
        assertThat(ack.jsonObject().get("type").getAsInt()).isEqualTo(5);
        RecordedRequest preview = fake.awaitRequest(webhookOf(fake, i).and(r -> r.method().equals("PATCH"))
                .and(uploads("preview-")), WAIT);
        assertThat(preview.succeeded()).isTrue();
        RecordedRequest upload = fake.awaitRequest(webhookOf(fake, i).and(r -> r.method().equals("POST"))
                .and(uploads("dream-")), WAIT);
        assertThat(upload.succeeded()).isTrue();
        assertThat(upload.files()).singleElement().satisfies(f -> {
            assertThat(f.filename()).matches("dream-[0-9]+-seed7[.]png");
            assertThat(f.bytes()).startsWith(0x89, 'P', 'N', 'G');
        });
        String text = upload.jsonObject().get("content").getAsString();
        assertThat(text).contains("a red circle", "seed 7", "mode: normal");

        FakeMessage result = awaitResult(i);
        assertThat(result.publiclyVisible()).isTrue();
        assertThat(resultPicture(result).isPng()).isTrue();
        fake.awaitRequest(r -> r.is("PUT", "/channels/" + w.general + "/messages/" + result.id() + "/reactions/"
                + RERUN + "/@me") && r.succeeded(), WAIT);

        fake.addReaction(w.general, result.id(), w.bob, RERUN);

        RecordedRequest second = fake.awaitRequest(r -> r.is("POST", "/channels/" + w.general + "/messages")
                && uploads("dream-").test(r) && r.jsonObject().get("content").getAsString().contains("**a red circle**"),
                WAIT);
        assertThat(second.succeeded()).isTrue();
        assertThat(second.jsonObject().get("content").getAsString()).contains("<@" + w.bob + ">", "a red circle")
                .doesNotContain("seed 7 ");
        FakeMessage rerun = awaitMessage(fake, m -> m.id() != result.id() && isResult(m)
                && m.content().contains("<@" + w.bob + ">"), "the rerun's result");
        fake.awaitRequest(r -> r.is("PUT", "/channels/" + w.general + "/messages/" + rerun.id() + "/reactions/"
                + RERUN + "/@me"), WAIT);
    }

    @Test
    void aCrossFromTheRequesterDeletesTheResultAndFromAnyoneElseDoesNothing() {
        FakeInteraction i = dream(w.carol, "a blue square", 3);
        FakeMessage result = awaitResult(i);
        String deletePath = "/channels/" + w.general + "/messages/" + result.id();

        fake.addReaction(w.general, result.id(), w.bob, DELETE);
        assertThat(fake.requests().noneWithin(r -> r.is("DELETE", deletePath), Duration.ofMillis(1500))).isEmpty();
        assertThat(fake.message(result.id()).deleted()).isFalse();

        fake.addReaction(w.general, result.id(), w.carol, DELETE);
        assertThat(fake.awaitRequest("DELETE", deletePath, WAIT).succeeded()).isTrue();
        assertThat(fake.message(result.id()).deleted()).isTrue();
    }

    @Test
    void aRefusalAfterThePublicAcknowledgementIsEphemeralAndNeverPublic() {
        // the deletion of the public "thinking…" placeholder is slow; a refusal must still never be public
        fake.when("DELETE", "/webhooks/*/*/messages/@original").delay(Duration.ofMillis(700)).always();
        FakeInteraction first = dream(w.mona, "a green cross", 1);
        awaitAck(fake, first);
        fake.awaitRequest(webhookOf(fake, first).and(r -> r.method().equals("PATCH")), WAIT);
        FakeInteraction second = dream(w.mona, "a yellow triangle", 2);
        awaitAck(fake, second);
        FakeInteraction third = dream(w.mona, "a purple square", 3);
        awaitAck(fake, third);

        FakeMessage refusal = awaitMessage(fake, m -> m.interactionId() == third.id()
                && m.content().contains("You already have"), "the refusal of the third dream");
        assertThat(refusal.ephemeral()).as("%s", refusal).isTrue();
        assertThat(refusal.allowedMentions()).isNotNull();
        assertThat(refusal.allowedMentions().getAsJsonArray("parse").toString()).doesNotContain("everyone", "roles");
        // the same message never was the public reply: nothing with the refusal is public or was public
        List<FakeMessage> everPublicRefusals = fake.messages().stream()
                .filter(m -> m.content().contains("You already have") && !m.ephemeral()).toList();
        assertThat(everPublicRefusals).isEmpty();
        awaitResult(first);
    }

    @Test
    void aUsersRunningJobCountsTowardsTheirLimit() {
        FakeInteraction first = dream(w.dave, "a white circle", 1);
        fake.awaitRequest(webhookOf(fake, first).and(r -> r.method().equals("PATCH")
                && r.json() != null && r.json().toString().contains("in the oven")), WAIT);
        FakeInteraction second = dream(w.dave, "a black circle", 2);
        awaitAck(fake, second);
        FakeMessage refusal = awaitMessage(fake, m -> m.interactionId() == second.id()
                && m.content().contains("You already have 1"), "the refusal of the second dream");
        assertThat(refusal.ephemeral()).isTrue();
        awaitResult(first);
        assertThat(Serve.query(dir, "SELECT COUNT(*) FROM jobs WHERE requester = ?", Long.toString(w.dave)))
                .isEqualTo(1);
    }

    @Test
    void aDreamWhoseTokenHasExpiredIsDeliveredInTheChannel() {
        FakeInteraction i = fake.slashCommand(SlashCommand.named("dream").option("prompt", "a small red circle")
                .issuedAt(Instant.now().minus(16, ChronoUnit.MINUTES)).in(w.adminGuild, w.general).by(w.bob));
        awaitAck(fake, i);
        RecordedRequest post = fake.awaitRequest(r -> r.is("POST", "/channels/" + w.general + "/messages")
                && uploads("dream-").test(r) && r.jsonObject().get("content").getAsString().contains("a small red circle"),
                WAIT);
        assertThat(post.succeeded()).isTrue();
        assertThat(fake.requests().all(webhookOf(fake, i))).as("no webhook call after expiry")
                .allSatisfy(r -> assertThat(r.succeeded()).isTrue());
    }

    @Test
    void aDreamInAChannelWhereTheBotCannotPostIsRefusedPrivatelyAtOnce() {
        FakeInteraction i = fake.slashCommand(SlashCommand.named("dream").option("prompt", "a red circle")
                .in(w.adminGuild, w.locked).by(w.alice));
        RecordedRequest ack = awaitAck(fake, i);
        JsonObject callback = ack.jsonObject();
        assertThat(callback.get("type").getAsInt()).isEqualTo(4);
        JsonObject data = callback.getAsJsonObject("data");
        assertThat(data.get("flags").getAsInt() & 64).isEqualTo(64);
        assertThat(data.get("content").getAsString()).contains("Send Messages", "Attach Files", "Add Reactions");
        assertThat(fake.requests().noneWithin(webhookOf(fake, i), Duration.ofSeconds(1))).isEmpty();
        assertThat(Serve.query(dir, "SELECT COUNT(*) FROM jobs WHERE channel_id = ?", Long.toString(w.locked)))
                .isZero();
    }

    @Test
    void aRateLimitedUploadIsRetriedAndDeliveredOnce() {
        var rule = fake.when(r -> r.method().equals("POST") && r.pathMatches("/webhooks/*/*")
                && uploads("dream-").test(r)).rateLimited(Duration.ofSeconds(1)).once();
        FakeInteraction i = dream(w.owner, "a big green cross", 5);
        List<RecordedRequest> tries = fake.requests().awaitCount(webhookOf(fake, i).and(uploads("dream-")), 2, WAIT);
        assertThat(tries).extracting(RecordedRequest::status).containsExactly(429, 200);
        assertThat(rule.hits()).isEqualTo(1);
        awaitResult(i);
        assertThat(fake.requests().noneWithin(webhookOf(fake, i).and(uploads("dream-"))
                .and(r -> r.seq() > tries.get(1).seq()), Duration.ofSeconds(1))).isEmpty();
        assertThat(fake.messages().stream().filter(m -> m.interactionId() == i.id() && isResult(m))).hasSize(1);
    }

    @Test
    void bakeIsRefusedPrivatelyToAnyoneButTheAdminGuildsCrewAndQueuesNothing() {
        // (alice owns the admin guild, so she has Manage Server there and may bake)
        for (long member : new long[] {w.bob, w.carol}) {
            FakeInteraction i = fake.slashCommand(SlashCommand.named("bake")
                    .subcommand(SlashCommand.named("add").option("prompt", "a tree")).in(w.adminGuild, w.general)
                    .by(member));
            JsonObject callback = awaitAck(fake, i).jsonObject();
            assertThat(callback.get("type").getAsInt()).as("refused at once").isEqualTo(4);
            assertThat(callback.getAsJsonObject("data").get("flags").getAsInt() & 64).isEqualTo(64);
        }
        FakeInteraction elsewhere = fake.slashCommand(SlashCommand.named("bake")
                .subcommand(SlashCommand.named("add").option("prompt", "a bush")).in(w.otherGuild, w.otherChannel)
                .by(w.otto));
        assertThat(awaitAck(fake, elsewhere).jsonObject().get("type").getAsInt()).isEqualTo(4);
        assertThat(Serve.query(dir, "SELECT COUNT(*) FROM jobs WHERE kind = 'BAKE'")).isZero();

        FakeInteraction crew = fake.slashCommand(SlashCommand.named("bake")
                .subcommand(SlashCommand.named("add").option("prompt", "a blue square")).in(w.adminGuild, w.general)
                .by(w.dave));
        assertThat(awaitAck(fake, crew).jsonObject().get("type").getAsInt()).isEqualTo(5);
        awaitMessage(fake, m -> m.interactionId() == crew.id()
                && m.attachments().stream().anyMatch(a -> a.filename().startsWith("bake-")), "the crew's bake");
        assertThat(Serve.query(dir, "SELECT COUNT(*) FROM jobs WHERE kind = 'BAKE'")).isEqualTo(1);
    }

    @Test
    void theRegisteredCommandsMatchWhoMayUseThem() {
        List<String> admin = names(fake.registeredCommands(w.adminGuild));
        List<String> other = names(fake.registeredCommands(w.otherGuild));
        assertThat(admin).contains("dream", "queue", "cancel", "bake");
        assertThat(other).contains("dream", "queue", "cancel").doesNotContain("bake");
        for (JsonElement c : fake.registeredCommands(w.adminGuild)) {
            if (c.getAsJsonObject().get("name").getAsString().equals("bake")) {
                JsonElement perms = c.getAsJsonObject().get("default_member_permissions");
                assertThat(perms == null || perms.isJsonNull()).as("the crew role sees /bake: %s", c).isTrue();
            }
            if (c.getAsJsonObject().get("name").getAsString().equals("dream")) {
                JsonObject palette = java.util.stream.StreamSupport.stream(c.getAsJsonObject().getAsJsonArray("options")
                        .spliterator(), false).map(JsonElement::getAsJsonObject)
                        .filter(o -> o.get("name").getAsString().equals("palette")).findFirst().orElseThrow();
                assertThat(palette.get("autocomplete").getAsBoolean()).isTrue();
            }
        }
    }

    @Test
    void queueAndCancelAreScopedToTheCallersGuildAndTheOwnerSeesAll() {
        // otto's dream goes first, so erin's waits in the queue while it is looked at
        FakeInteraction before = fake.slashCommand(SlashCommand.named("dream").option("prompt", "a white square")
                .in(w.otherGuild, w.otherChannel).by(w.otto));
        awaitAck(fake, before);
        FakeInteraction theirs = fake.slashCommand(SlashCommand.named("dream").option("prompt", "an orange circle")
                .in(w.otherGuild, w.otherChannel).by(w.erin));
        fake.awaitRequest(webhookOf(fake, theirs).and(r -> r.method().equals("PATCH")), WAIT);
        long jobId = Serve.query(dir, "SELECT id FROM jobs WHERE requester = ?", Long.toString(w.erin));

        FakeInteraction queue = fake.slashCommand(SlashCommand.named("queue").in(w.adminGuild, w.general).by(w.mona));
        FakeMessage listing = awaitMessage(fake, m -> m.interactionId() == queue.id() && !m.loading(), "/queue");
        assertThat(listing.ephemeral()).isTrue();
        assertThat(listing.content()).doesNotContain("an orange circle").doesNotContain(Long.toString(w.erin));

        FakeInteraction ownerQueue = fake.slashCommand(SlashCommand.named("queue").in(w.adminGuild, w.general)
                .by(w.owner));
        FakeMessage all = awaitMessage(fake, m -> m.interactionId() == ownerQueue.id() && !m.loading(), "owner /queue");
        assertThat(all.content()).contains("an orange circle");

        FakeInteraction cancel = fake.slashCommand(SlashCommand.named("cancel").option("job", jobId)
                .in(w.adminGuild, w.general).by(w.mona));
        FakeMessage answer = awaitMessage(fake, m -> m.interactionId() == cancel.id() && !m.loading(), "/cancel");
        assertThat(answer.content()).contains("There is no job #" + jobId);
        awaitResult(theirs);
        assertThat(Serve.queryText(dir, "SELECT status FROM jobs WHERE id = ?", jobId)).isEqualTo("done");
    }

    /**
     * A Discord and an oven of their own, the oven slowed to 8 s a picture: with the shared one's 2 s, a busy
     * machine finished the first dream before the fourth was queued, and the fourth was told position 1.
     */
    @Test
    void waitingDreamsAreToldTheirNewPositionAsTheQueueMoves(@TempDir Path own) throws InterruptedException {
        try (FakeDiscord slowFake = w.fake().start();
                Serve slow = Serve.inProcess(Serve.config(own, w.settings()), Serve.environment(slowFake),
                        Duration.ofMillis(400)).awaitOnline(slowFake, 0)) {
            FakeInteraction first = w.dream(slowFake, w.finn, "a red square", 1);
            slowFake.awaitRequest(webhookOf(slowFake, first).and(edits("in the oven")), WAIT);
            w.dream(slowFake, w.gus, "a green square", 2);
            w.dream(slowFake, w.hana, "a blue square", 3);
            FakeInteraction last = w.dream(slowFake, w.jo, "a black square", 4);
            RecordedRequest accepted = slowFake.awaitRequest(webhookOf(slowFake, last).and(edits("position ")), WAIT);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("position (\\d+)")
                    .matcher(accepted.jsonObject().get("content").getAsString());
            assertThat(m.find()).isTrue();
            int position = Integer.parseInt(m.group(1));
            assertThat(position).as("three dreams wait behind one in the oven").isGreaterThanOrEqualTo(2);
            RecordedRequest moved = slowFake.awaitRequest(webhookOf(slowFake, last)
                    .and(edits("position " + (position - 1))), WAIT);
            assertThat(moved.seq()).isGreaterThan(accepted.seq());
        } // closing puts the dream in the oven back; the results themselves are other journeys' business
    }

    @Test
    void aChannelResultWhoseAnswerWasLostIsShownOnceWhenItIsPostedAgain() {
        String channelPosts = "/channels/" + w.general + "/messages";
        java.util.function.Predicate<RecordedRequest> resultPost = r -> r.is("POST", channelPosts)
                && uploads("dream-").test(r) && r.jsonObject().get("content").getAsString().contains("a twice told tale");
        RouteRule lost = fake.when(resultPost).serverError().afterHandling().once();
        FakeInteraction i = fake.slashCommand(SlashCommand.named("dream").option("prompt", "a twice told tale")
                .issuedAt(Instant.now().minus(16, ChronoUnit.MINUTES)).in(w.adminGuild, w.general).by(w.finn));
        awaitAck(fake, i);

        List<RecordedRequest> tries = fake.requests().awaitCount(resultPost, 2, WAIT);
        assertThat(tries).extracting(RecordedRequest::status).containsExactly(500, 200);
        assertThat(lost.hits()).isEqualTo(1);
        long job = Serve.query(dir, "SELECT id FROM jobs WHERE requester = ?", Long.toString(w.finn));
        assertThat(tries).extracting(r -> r.jsonObject().get("nonce").getAsString()).containsOnly("job-" + job);
        FakeMessage result = awaitMessage(fake, m -> isResult(m) && m.content().contains("a twice told tale"),
                "the result");
        fake.awaitRequest(r -> r.is("PUT", channelPosts + "/" + result.id() + "/reactions/" + RERUN + "/@me"), WAIT);
        assertThat(fake.messagesIn(w.general).stream().filter(m -> isResult(m)
                && m.content().contains("a twice told tale"))).as("one result in the channel").hasSize(1);
    }

    @Test
    void aFailedRequestToDiscordIsLoggedNotSwallowed() {
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged =
                new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        ch.qos.logback.classic.Logger ours = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger("dev.dreamoven");
        ours.addAppender(logged);
        try {
            fake.when(r -> r.method().equals("PUT") && r.path().contains("/reactions/")).serverError().once();
            FakeInteraction i = dream(w.ivy, "a white cross", 9);
            FakeMessage result = awaitResult(i);
            fake.awaitRequest(r -> r.method().equals("PUT") && r.path().contains("/messages/" + result.id() + "/reactions/")
                    && r.status() == 500, WAIT);
            World.await(() -> logged.list.stream().filter(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN
                    && e.getFormattedMessage().contains(Long.toString(result.id()))).findFirst(),
                    "a warning about the failed reaction");
        } finally {
            ours.detachAppender(logged);
        }
    }

    /** A PATCH whose content contains {@code text}. */
    private static java.util.function.Predicate<RecordedRequest> edits(String text) {
        return r -> r.method().equals("PATCH") && r.json() != null && r.json().isJsonObject()
                && r.jsonObject().has("content") && r.jsonObject().get("content").getAsString().contains(text);
    }

    private static List<String> names(com.google.gson.JsonArray commands) {
        return java.util.stream.StreamSupport.stream(commands.spliterator(), false)
                .map(e -> e.getAsJsonObject().get("name").getAsString()).toList();
    }
}
