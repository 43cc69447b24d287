package dev.dreamoven.e2e;

import static dev.dreamoven.e2e.World.WAIT;
import static dev.dreamoven.e2e.World.awaitAck;
import static dev.dreamoven.e2e.World.uploads;
import static dev.dreamoven.e2e.World.webhookOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dreamoven.lab.fakediscord.FakeDiscord;
import dev.dreamoven.lab.fakediscord.RecordedFrame;
import dev.dreamoven.lab.fakediscord.RecordedRequest;
import dev.dreamoven.lab.fakediscord.FakeGuild;
import dev.dreamoven.lab.fakediscord.FakeInteraction;
import dev.dreamoven.lab.fakediscord.SlashCommand;
import dev.dreamoven.lab.fakediscord.Snowflakes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} on a Discord that recommends two shards: both shards connect, one render queue serves both; or,
 * given {@code discord.shard-ids}, only its own shards connect (another bot process has the rest).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ShardedServeTest {

    @TempDir
    Path dir;

    @Test
    void twoShardsAsDiscordRecommendsShareOneRenderQueue() throws Exception {
        long guild0 = Snowflakes.guildIdForShard(0, 2);
        long guild1 = Snowflakes.guildIdForShard(1, 2);
        long channel0 = Snowflakes.next();
        long channel1 = Snowflakes.next();
        long ann = Snowflakes.next();
        try (FakeDiscord fake = FakeDiscord.builder().shards(2)
                .guild(FakeGuild.builder(guild0, "zero").member(ann, "ann").textChannel(channel0, "art").build())
                .guild(FakeGuild.builder(guild1, "one").member(ann, "ann").textChannel(channel1, "art").build())
                .start();
                Serve serve = Serve.inProcess(Serve.config(dir, Map.of("discord.guilds", guild0 + "," + guild1,
                        "discord.shards", "0")), Serve.environment(fake))) {
            fake.awaitReadySent(2, Serve.LOGIN);
            serve.awaitOnline(fake, 0);
            assertThat(fake.requests().all(r -> r.is("GET", "/gateway/bot"))).isNotEmpty();
            assertThat(fake.frames().all(f -> f.fromClient(RecordedFrame.IDENTIFY)))
                    .extracting(f -> f.data().get("shard").toString())
                    .containsExactlyInAnyOrder("[0,2]", "[1,2]");
            fake.awaitRequest(r -> r.is("PUT", "/applications/*/guilds/" + guild1 + "/commands"), WAIT);

            FakeInteraction one = fake.slashCommand(SlashCommand.named("dream").option("prompt", "shard one")
                    .option("seed", 1L).in(guild1, channel1).by(ann));
            awaitAck(fake, one);
            fake.awaitRequest(webhookOf(fake, one).and(uploads("dream-1-seed1")), WAIT);
            FakeInteraction zero = fake.slashCommand(SlashCommand.named("dream").option("prompt", "shard zero")
                    .option("seed", 2L).in(guild0, channel0).by(ann));
            awaitAck(fake, zero);
            fake.awaitRequest(webhookOf(fake, zero).and(uploads("dream-2-seed2")), WAIT);
            assertThat(Serve.query(dir, "SELECT COUNT(*) FROM jobs")).isEqualTo(2);
        }
    }

    @Test
    void aBotProcessGivenShardOneOfTwoConnectsOnlyShardOneAndServesItsGuild() throws Exception {
        long guild0 = Snowflakes.guildIdForShard(0, 2);
        long guild1 = Snowflakes.guildIdForShard(1, 2);
        long channel1 = Snowflakes.next();
        long ann = Snowflakes.next();
        try (FakeDiscord fake = FakeDiscord.builder().shards(2)
                .guild(FakeGuild.builder(guild0, "zero").member(ann, "ann").textChannel(Snowflakes.next(), "art")
                        .build())
                .guild(FakeGuild.builder(guild1, "one").member(ann, "ann").textChannel(channel1, "art").build())
                .start();
                Serve serve = Serve.inProcess(Serve.config(dir, Map.of("discord.guilds", guild0 + "," + guild1,
                        "discord.shards", "2", "discord.shard-ids", "1")), Serve.environment(fake))) {
            serve.awaitOnline(fake, 0);
            assertThat(fake.frames().all(f -> f.fromClient(RecordedFrame.IDENTIFY)))
                    .extracting(f -> f.data().get("shard").toString())
                    .containsExactly("[1,2]");

            FakeInteraction one = fake.slashCommand(SlashCommand.named("dream").option("prompt", "shard one")
                    .option("seed", 1L).in(guild1, channel1).by(ann));
            awaitAck(fake, one);
            fake.awaitRequest(webhookOf(fake, one).and(uploads("dream-1-seed1")), WAIT);
            assertThat(fake.frames().noneWithin(f -> f.fromClient(RecordedFrame.IDENTIFY)
                    && !f.data().get("shard").toString().equals("[1,2]"), Duration.ofSeconds(1))).isEmpty();
            assertThat(fake.requests().all(r -> r.method().equals("PUT") && r.path().endsWith("/commands")))
                    .as("commands only in the guild of its own shard")
                    .extracting(RecordedRequest::path).containsExactly(
                            "/applications/" + fake.applicationId() + "/guilds/" + guild1 + "/commands");
        }
    }
}
