package dev.dreamoven.e2e;

import static dev.dreamoven.e2e.World.WAIT;
import static dev.dreamoven.e2e.World.awaitAck;
import static dev.dreamoven.e2e.World.uploads;
import static dev.dreamoven.e2e.World.webhookOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dreamoven.lab.fakediscord.FakeChannel;
import dev.dreamoven.lab.fakediscord.FakeDiscord;
import dev.dreamoven.lab.fakediscord.FakeInteraction;
import dev.dreamoven.lab.fakediscord.Overwrite;
import dev.dreamoven.lab.fakediscord.RecordedRequest;
import dev.dreamoven.lab.fakediscord.SlashCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import net.dv8tion.jda.api.Permission;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Journeys across a stop, a crash ({@code kill -9} of a separate {@code serve} process) and restarts. Tagged
 * {@code slow}: together they take more than a minute here (a child JVM, several logins); CI runs them with
 * {@code -Pslow}.
 */
@Tag("slow")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DiscordRestartJourneysTest {

    @TempDir
    Path dir;
    private final World w = new World();

    private static Predicate<RecordedRequest> after(long seq) {
        return r -> r.seq() > seq;
    }

    private static long mark(FakeDiscord fake) {
        return fake.requests().size() - 1;
    }

    @Test
    void aJobKilledMidRenderIsAnnouncedAfterTheRestartAndPostedExactlyOnceUnderTheOriginalReply() throws Exception {
        try (FakeDiscord fake = w.fake().start()) {
            Path config = Serve.config(dir, w.settings());
            FakeInteraction i;
            try (Serve child = Serve.childProcess(config, Serve.environment(fake), dir)) {
                child.awaitOnline(fake, 0);
                i = w.dream(fake, w.alice, "a red circle on a blue background", 11);
                awaitAck(fake, i);
                fake.awaitRequest(webhookOf(fake, i).and(r -> r.method().equals("PATCH")).and(uploads("preview-")),
                        WAIT);
                child.kill9();
            }
            assertThat(Serve.queryText(dir, "SELECT status FROM jobs WHERE id = 1")).isEqualTo("running");
            assertThat(fake.requests().all(uploads("dream-"))).isEmpty();

            long mark = mark(fake);
            try (Serve restarted = Serve.inProcess(config, Serve.environment(fake)).awaitOnline(fake, mark)) {
                RecordedRequest announced = fake.awaitRequest(after(mark).and(webhookOf(fake, i))
                        .and(r -> r.method().equals("PATCH") && r.json() != null
                                && r.json().toString().contains("back in the queue")), WAIT);
                assertThat(announced.succeeded()).isTrue();
                RecordedRequest upload = fake.awaitRequest(after(mark).and(webhookOf(fake, i))
                        .and(uploads("dream-1-seed11")), WAIT);
                assertThat(upload.succeeded()).isTrue();
                assertThat(fake.requests().noneWithin(uploads("dream-").and(r -> r.seq() != upload.seq()),
                        Duration.ofSeconds(2))).isEmpty();
            }
            long second = mark(fake);
            try (Serve again = Serve.inProcess(config, Serve.environment(fake)).awaitOnline(fake, second)) {
                assertThat(fake.requests().noneWithin(after(second).and(uploads("dream-")), Duration.ofSeconds(2)))
                        .isEmpty();
            }
            assertThat(fake.requests().all(uploads("dream-").and(RecordedRequest::succeeded))).hasSize(1);
        }
    }

    @Test
    void aResultWhoseRerunReactionCannotBeAddedIsPostedOnceAndNotAgainAfterARestart() throws Exception {
        try (FakeDiscord fake = w.fake().start()) {
            Path config = Serve.config(dir, w.settings());
            try (Serve serve = Serve.inProcess(config, Serve.environment(fake)).awaitOnline(fake, 0)) {
                FakeInteraction i = w.dream(fake, w.bob, "a purple triangle", 4);
                awaitAck(fake, i);
                FakeChannel general = fake.guild(w.adminGuild).channel(w.general).orElseThrow();
                fake.updateChannel(general.withOverwrites(Overwrite.denyMember(w.botId, Permission.MESSAGE_ADD_REACTION)));
                assertThat(fake.awaitRequest(webhookOf(fake, i).and(uploads("dream-")), WAIT).succeeded()).isTrue();
                fake.requests().noneWithin(r -> false, Duration.ofMillis(500));
            }
            long mark = mark(fake);
            try (Serve restarted = Serve.inProcess(config, Serve.environment(fake)).awaitOnline(fake, mark)) {
                assertThat(fake.requests().noneWithin(after(mark).and(uploads("dream-")), Duration.ofSeconds(3)))
                        .isEmpty();
            }
        }
    }

    @Test
    void aResultThatCannotBeDeliveredIsMarkedUndeliverableAfterBoundedTriesAndNeverRetriedAfterARestart()
            throws Exception {
        try (FakeDiscord fake = w.fake().start()) {
            Path config = Serve.config(dir, w.settings());
            String channelPosts = "/channels/" + w.general + "/messages";
            fake.when(r -> r.is("POST", channelPosts) && uploads("dream-").test(r)).missingPermissions().always();
            try (Serve serve = Serve.inProcess(config, Serve.environment(fake)).awaitOnline(fake, 0)) {
                FakeInteraction i = fake.slashCommand(SlashCommand.named("dream").option("prompt", "a black cross")
                        .issuedAt(Instant.now().minus(16, ChronoUnit.MINUTES)).in(w.adminGuild, w.general).by(w.carol));
                awaitAck(fake, i);
                List<RecordedRequest> tries = fake.requests().awaitCount(r -> r.is("POST", channelPosts)
                        && uploads("dream-").test(r), 3, WAIT);
                assertThat(tries).extracting(RecordedRequest::status).containsOnly(403);
                assertThat(fake.requests().noneWithin(r -> r.is("POST", channelPosts) && uploads("dream-").test(r)
                        && r.seq() > tries.get(2).seq(), Duration.ofSeconds(4))).isEmpty();
                assertThat(Serve.query(dir, "SELECT delivered FROM jobs WHERE id = 1")).as("undeliverable").isEqualTo(2);
            }
            long mark = mark(fake);
            try (Serve restarted = Serve.inProcess(config, Serve.environment(fake)).awaitOnline(fake, mark)) {
                assertThat(fake.requests().noneWithin(after(mark).and(uploads("dream-")), Duration.ofSeconds(3)))
                        .isEmpty();
            }
        }
    }

    @Test
    void aCommandArrivingTheMomentTheBotHasConnectedIsAcknowledged() throws Exception {
        try (FakeDiscord fake = w.fake().start()) {
            Path config = Serve.config(dir, w.settings());
            try (Serve serve = Serve.inProcess(config, Serve.environment(fake))) {
                fake.frames().await(f -> f.isDispatch("GUILD_CREATE"), Serve.LOGIN);
                fake.frames().awaitCount(f -> f.isDispatch("GUILD_CREATE"), 2, Serve.LOGIN);
                FakeInteraction i = w.dream(fake, w.alice, "a small blue circle", 2);
                awaitAck(fake, i);
                fake.awaitRequest(webhookOf(fake, i).and(uploads("dream-")), WAIT);
            }
        }
    }

    @Test
    void theQueueRecoversAndRendersWhileTheLoginIsSlowAndDeliversOnceLoggedIn() throws Exception {
        try (FakeDiscord fake = w.fake().start()) {
            Path config = Serve.config(dir, w.settings());
            FakeInteraction i = w.dreamStoppedMidRender(fake, config, w.dave, "a yellow square", 8);
            assertThat(Serve.queryText(dir, "SELECT status FROM jobs WHERE id = 1")).isEqualTo("queued");

            fake.when("GET", "/gateway/bot").delay(Duration.ofSeconds(8)).always();
            fake.when("GET", "/users/@me").delay(Duration.ofSeconds(8)).always();
            long mark = mark(fake);
            try (Serve slow = Serve.inProcess(config, Serve.environment(fake))) {
                long end = System.nanoTime() + Duration.ofSeconds(7).toNanos();
                while (!"done".equals(Serve.queryText(dir, "SELECT status FROM jobs WHERE id = 1"))
                        && System.nanoTime() < end) {
                    Thread.sleep(50);
                }
                assertThat(Serve.queryText(dir, "SELECT status FROM jobs WHERE id = 1"))
                        .as("rendered before the login finished").isEqualTo("done");
                assertThat(fake.frames().all(f -> f.isDispatch("READY"))).hasSize(1);
                slow.awaitOnline(fake, mark);
                assertThat(fake.awaitRequest(after(mark).and(webhookOf(fake, i)).and(uploads("dream-1-seed8")), WAIT)
                        .succeeded()).isTrue();
            }
        }
    }
}
