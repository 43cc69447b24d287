package dev.dreamoven.bot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dreamoven.render.BakedPrompts;
import dev.dreamoven.render.FakeEngine;
import dev.dreamoven.render.JobRecord;
import dev.dreamoven.render.JobStatus;
import dev.dreamoven.render.RenderQueue;
import dev.dreamoven.store.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transport-neutral handlers: results, reactions, restarts and expired interaction tokens. */
class DreamBotTest {

    @TempDir
    Path dir;
    private final AtomicLong seeds = new AtomicLong(1000);

    /** One run of the bot process over the database file. */
    private final class Session implements AutoCloseable {
        final Database db = Database.open(dir.resolve("bot.db"));
        final FakeEngine engine;
        final RenderQueue queue;
        final FakeChat chat = new FakeChat();
        final DreamBot bot;

        Session(FakeEngine engine) {
            this(engine, Runnable::run);
        }

        Session(FakeEngine engine, java.util.concurrent.Executor work) {
            this.engine = engine;
            queue = new RenderQueue(db, engine, new RenderQueue.Settings(100, 3, dir.resolve("results"), 2, 5000),
                    Clock.systemUTC());
            bot = new DreamBot(queue, BakedPrompts.NONE, chat, db, work, seeds::incrementAndGet,
                    Clock.systemUTC(), new DreamBot.Settings(Duration.ofSeconds(3), 3, Duration.ZERO));
            queue.start(bot);
        }

        @Override
        public void close() {
            engine.release();
            queue.close();
            db.close();
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(5);
        }
    }

    @Test
    void theResultIsPostedWithPromptSeedAndModeAndGetsTheRerunReaction() throws Exception {
        try (Session s = new Session(FakeEngine.instant())) {
            s.bot.onCommand(s.chat.interaction("i1", "dream", "ann", Map.of("prompt", "a red circle", "seed", "3")));
            await(() -> s.chat.find("react", DreamBot.RERUN).isPresent());
            FakeChat.Event result = s.chat.find("follow-up", "a red circle").orElseThrow();
            assertThat(result.picture()).isTrue();
            assertThat(result.text()).contains("<@ann>", "seed 3", "mode: auto-microwave from 'a' and 'b'", "job #1");
            assertThat(s.chat.events).filteredOn(e -> e.kind().equals("edit-reply"))
                    .first().satisfies(e -> assertThat(e.text()).contains("position 1"));
        }
    }

    @Test
    void thePlanIsSaidBeforeTheWorkAndStaysAboveTheProgress() throws Exception {
        try (Session s = new Session(FakeEngine.instant())) {
            s.bot.onCommand(s.chat.interaction("i1", "dream", "ann", Map.of("prompt", "a red circle", "seed", "3")));
            await(() -> s.chat.find("react", DreamBot.RERUN).isPresent());
            List<String> edits = s.chat.events.stream().filter(e -> e.kind().equals("edit-reply"))
                    .map(FakeChat.Event::text).toList();
            int planned = edits.indexOf("🎨 Dream **a red circle** (job #1): " + FakeEngine.PLAN);
            int firstStep = edits.indexOf("🎨 **a red circle** (job #1): " + FakeEngine.PLAN + "\nstep 1/2, similarity 0.250");
            assertThat(planned).as("the plan, in %s", edits).isNotNegative();
            assertThat(firstStep).as("the first step under the plan, in %s", edits).isGreaterThan(planned);
        }
    }

    @Test
    void whatFollowsAPostRunsOnTheBotsExecutorNeverOnTheThreadThatCompletedIt() throws Exception {
        java.util.concurrent.ExecutorService work = java.util.concurrent.Executors.newSingleThreadExecutor(
                r -> new Thread(r, "bot-work"));
        java.util.concurrent.ExecutorService transport = java.util.concurrent.Executors.newSingleThreadExecutor(
                r -> new Thread(r, "transport-callbacks"));
        try (Session s = new Session(FakeEngine.instant(), work)) {
            s.chat.completeOn = transport;
            FakeChat.FakeInteraction i = s.chat.interaction("i1", "dream", "ann", Map.of("prompt", "a red circle"));
            i.expired = true; // the result goes to the channel, through Channels.post
            s.bot.onCommand(i);
            await(() -> !s.chat.reactThreads.isEmpty());
            assertThat(s.chat.reactThreads).containsOnly("bot-work");
            await(() -> s.queue.idle());
        } finally {
            work.shutdownNow();
            transport.shutdownNow();
        }
    }

    @Test
    void aResultThatCannotBePostedIsTriedAgainAndGivenUpAfterTheBound() throws Exception {
        try (Session s = new Session(FakeEngine.instant())) {
            FakeChat.FakeInteraction i = s.chat.interaction("i1", "dream", "ann", Map.of("prompt", "a lost cat"));
            i.expired = true;
            s.chat.failPictures = true;
            s.bot.onCommand(i);
            await(() -> s.chat.events.stream().anyMatch(e -> e.text().contains("could not post the picture")));
            Thread.sleep(200);
            assertThat(s.chat.events.stream().filter(e -> e.kind().equals("post") && e.picture())).hasSize(3);
            assertThat(s.chat.find("react", DreamBot.RERUN)).isEmpty();
        }
        try (Session s = new Session(FakeEngine.instant())) {
            Thread.sleep(300);
            assertThat(s.chat.events).as("a given-up result is not tried after a restart")
                    .noneMatch(e -> e.kind().equals("post") && e.picture());
        }
    }

    @Test
    void everyTryOfAResultsChannelPostCarriesTheJobAsItsNonceSoTheChatShowsItOnce() throws Exception {
        try (Session s = new Session(FakeEngine.instant())) {
            FakeChat.FakeInteraction i = s.chat.interaction("i1", "dream", "ann", Map.of("prompt", "a lost cat"));
            i.expired = true;
            s.chat.failPictures = true;
            s.bot.onCommand(i);
            await(() -> s.chat.events.stream().anyMatch(e -> e.text().contains("could not post the picture")));
            List<String> pictures = s.chat.events.stream().filter(e -> e.kind().equals("post") && e.picture())
                    .map(FakeChat.Event::messageId).toList();
            assertThat(pictures).hasSize(3);
            assertThat(pictures).extracting(s.chat.nonces::get).containsOnly("job-1");
            assertThat(s.chat.events).filteredOn(e -> e.kind().equals("post") && !e.picture())
                    .as("status messages are no results: they carry no nonce")
                    .allSatisfy(e -> assertThat(s.chat.nonces).doesNotContainKey(e.messageId()));
        }
    }

    @Test
    void aRerunReactionWorksAfterARestartAndCountsOnTheReactingUser() throws Exception {
        String resultMessage;
        try (Session s = new Session(FakeEngine.instant())) {
            s.bot.onCommand(s.chat.interaction("i1", "dream", "ann", Map.of("prompt", "a red circle", "seed", "3")));
            await(() -> s.chat.find("react", DreamBot.RERUN).isPresent());
            resultMessage = s.chat.find("react", DreamBot.RERUN).orElseThrow().messageId();
        }
        try (Session s = new Session(FakeEngine.instant())) {
            s.bot.onReaction("bob", "c1", resultMessage, DreamBot.RERUN);
            await(() -> s.queue.find(2).map(r -> r.status() == JobStatus.DONE).orElse(false)
                    && s.chat.find("react", DreamBot.RERUN).isPresent());
            JobRecord rerun = s.queue.find(2).orElseThrow();
            assertThat(rerun.job().requesterId()).isEqualTo("bob");
            assertThat(rerun.job().request().prompt()).isEqualTo("a red circle");
            assertThat(rerun.job().request().seed()).isNotEqualTo(3L);
            // no live interaction after a restart: status and result go to the channel
            assertThat(s.chat.find("post", "position 1")).isPresent();
            assertThat(s.chat.find("post", "<@bob> **a red circle**")).hasValueSatisfying(e -> assertThat(e.picture()).isTrue());
        }
    }

    @Test
    void onlyTheRequesterDeletesWithTheCrossReaction() throws Exception {
        try (Session s = new Session(FakeEngine.instant())) {
            s.bot.onCommand(s.chat.interaction("i1", "dream", "ann", Map.of("prompt", "a cat")));
            await(() -> s.chat.find("react", DreamBot.RERUN).isPresent());
            String id = s.chat.find("react", DreamBot.RERUN).orElseThrow().messageId();
            s.bot.onReaction("bob", "c1", id, DreamBot.DELETE);
            assertThat(s.chat.find("delete", "")).isEmpty();
            s.bot.onReaction("ann", "c1", id, DreamBot.DELETE);
            assertThat(s.chat.events).contains(new FakeChat.Event("delete", id, "", false));
            s.bot.onReaction("bob", "c1", id, DreamBot.RERUN);
            assertThat(s.queue.find(2)).as("a deleted result can no longer be rerun").isEmpty();
        }
    }

    @Test
    void afterTheInteractionTokenExpiresProgressAndResultGoToTheChannel() throws Exception {
        try (Session s = new Session(FakeEngine.holding())) {
            FakeChat.FakeInteraction i = s.chat.interaction("i1", "dream", "ann", Map.of("prompt", "a slow tree"));
            s.bot.onCommand(i);
            assertThat(s.engine.started.await(5, TimeUnit.SECONDS)).isTrue();
            i.expired = true;
            s.engine.release();
            await(() -> s.chat.find("react", DreamBot.RERUN).isPresent());
            assertThat(s.chat.find("post", "a slow tree")).isPresent();
            assertThat(s.chat.find("follow-up", "a slow tree")).isEmpty();
        }
    }

    @Test
    void aRerunOverTheUsersLimitIsAnsweredInTheChannel() throws Exception {
        String id;
        try (Session s = new Session(FakeEngine.instant())) {
            s.bot.onCommand(s.chat.interaction("i1", "dream", "ann", Map.of("prompt", "a cat")));
            await(() -> s.chat.find("react", DreamBot.RERUN).isPresent());
            id = s.chat.find("react", DreamBot.RERUN).orElseThrow().messageId();
        }
        try (Session s = new Session(FakeEngine.holding())) {
            for (int n = 0; n < 5; n++) {
                s.bot.onReaction("bob", "c1", id, DreamBot.RERUN);
            }
            assertThat(s.chat.find("post", "<@bob> You already have 3 jobs queued or running")).isPresent();
        }
    }
}
