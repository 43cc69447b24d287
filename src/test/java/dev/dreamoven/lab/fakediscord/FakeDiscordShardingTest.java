package dev.dreamoven.lab.fakediscord;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.exceptions.ErrorResponseException;
import net.dv8tion.jda.api.requests.ErrorResponse;
import net.dv8tion.jda.api.requests.GatewayIntent;
import net.dv8tion.jda.api.sharding.ShardManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Logins that need their own fake: a sharded one, and one with a short acknowledgement deadline. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FakeDiscordShardingTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void aShardManagerAsksGatewayBotAndEachOfTwoShardsGetsItsGuild() throws Exception {
        long guild0 = Snowflakes.guildIdForShard(0, 2);
        long guild1 = Snowflakes.guildIdForShard(1, 2);
        long channel1 = Snowflakes.next();
        long alice = Snowflakes.next();
        try (FakeDiscord fake = FakeDiscord.builder()
                .shards(2)
                .guild(FakeGuild.builder(guild0, "shard zero").member(alice, "alice")
                        .textChannel(Snowflakes.next(), "general").build())
                .guild(FakeGuild.builder(guild1, "shard one").member(alice, "alice")
                        .textChannel(channel1, "general").build())
                .start()) {
            CompletableFuture<SlashCommandInteractionEvent> received = new CompletableFuture<>();
            ShardManager shards = FakeDiscordJda.lightShards(fake, GatewayIntent.GUILD_MESSAGE_REACTIONS)
                    .addEventListeners((net.dv8tion.jda.api.hooks.EventListener) event -> {
                        if (event instanceof SlashCommandInteractionEvent slash) {
                            slash.deferReply().queue();
                            received.complete(slash);
                        }
                    })
                    .build();
            try {
                fake.awaitReadySent(2, WAIT);
                assertThat(shards.getShardsTotal()).isEqualTo(2);
                JDA zero = shards.getShardById(0);
                JDA one = shards.getShardById(1);
                zero.awaitReady();
                one.awaitReady();

                assertThat(fake.requests().all(r -> r.is("GET", "/gateway/bot"))).isNotEmpty();
                assertThat(fake.frames().all(f -> f.fromClient(FakeGateway.IDENTIFY)))
                        .extracting(f -> f.data().get("shard").toString())
                        .containsExactlyInAnyOrder("[0,2]", "[1,2]");
                assertThat(zero.getGuilds()).extracting(g -> g.getIdLong()).containsExactly(guild0);
                assertThat(one.getGuilds()).extracting(g -> g.getIdLong()).containsExactly(guild1);
                assertThat(shards.getGuildById(guild1).getJDA().getShardInfo().getShardId()).isEqualTo(1);

                FakeInteraction interaction = fake.slashCommand(
                        SlashCommand.named("dream").option("prompt", "two shards").in(guild1, channel1).by(alice));
                SlashCommandInteractionEvent event = received.get(10, TimeUnit.SECONDS);
                assertThat(event.getJDA().getShardInfo().getShardId()).isEqualTo(1);
                assertThat(event.getInteraction().getIdLong()).isEqualTo(interaction.id());
                fake.awaitRequest("POST", "/interactions/" + interaction.id() + "/*/callback", WAIT);
            } finally {
                shards.shutdown();
                for (JDA shard : shards.getShards()) {
                    shard.awaitShutdown(Duration.ofSeconds(5));
                }
            }
        }
    }

    @Test
    void anAcknowledgementAfterTheDeadlineIsAnUnknownInteraction() throws Exception {
        long guild = Snowflakes.next();
        long channel = Snowflakes.next();
        long alice = Snowflakes.next();
        try (FakeDiscord fake = FakeDiscord.builder()
                .ackDeadline(Duration.ofMillis(200))
                .guild(FakeGuild.builder(guild, "slow").member(alice, "alice").textChannel(channel, "general").build())
                .start()) {
            CompletableFuture<Throwable> failure = new CompletableFuture<>();
            JDA jda = FakeDiscordJda.light(fake).addEventListeners((net.dv8tion.jda.api.hooks.EventListener) event -> {
                if (event instanceof SlashCommandInteractionEvent slash) {
                    try {
                        Thread.sleep(400);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    slash.deferReply().queue(ok -> failure.complete(null), failure::complete);
                }
            }).build();
            try {
                jda.awaitReady();
                FakeInteraction interaction = fake.slashCommand(SlashCommand.named("dream").in(guild, channel).by(alice));
                assertThat(failure.get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(ErrorResponseException.class,
                        e -> assertThat(e.getErrorResponse()).isEqualTo(ErrorResponse.UNKNOWN_INTERACTION));
                assertThat(interaction.callbackType()).isZero();
                assertThat(fake.awaitRequest("POST", "/interactions/*/*/callback", WAIT).status()).isEqualTo(404);
            } finally {
                jda.shutdownNow();
                jda.awaitShutdown(Duration.ofSeconds(5));
            }
        }
    }
}
