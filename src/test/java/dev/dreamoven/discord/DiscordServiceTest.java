package dev.dreamoven.discord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dreamoven.bot.DreamBot;
import dev.dreamoven.lab.fakediscord.FakeDiscord;
import dev.dreamoven.lab.fakediscord.FakeGuild;
import dev.dreamoven.lab.fakediscord.FakeInteraction;
import dev.dreamoven.lab.fakediscord.SlashCommand;
import dev.dreamoven.lab.fakediscord.Snowflakes;
import dev.dreamoven.render.BakedPrompts;
import dev.dreamoven.render.PlaceholderEngine;
import dev.dreamoven.render.RenderQueue;
import dev.dreamoven.store.Database;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import net.dv8tion.jda.api.events.GenericEvent;
import net.dv8tion.jda.api.events.session.ReadyEvent;
import net.dv8tion.jda.api.hooks.EventListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DiscordService#start} as tests use it: the settings point it at a fake Discord, the builder hook adds
 * a listener; nothing of its wiring is copied.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DiscordServiceTest {

    @TempDir
    Path dir;

    @Test
    void shardIdsNeedAFixedTotalAndMustEachBeOneOfItsShards() {
        Access nobody = new Access("", Set.of(), Set.of());
        URI api = URI.create("http://127.0.0.1:1/api/v10/");
        URI gateway = URI.create("ws://127.0.0.1:1/");
        assertThatThrownBy(() -> new DiscordService.Settings(List.of(), nobody, 0, List.of(1), api, gateway))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("shard ids [1] need a fixed shard total above 0");
        assertThatThrownBy(() -> new DiscordService.Settings(List.of(), nobody, 2, List.of(0, 2), api, gateway))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("shard id 2 is not one of the 2 shards");
        assertThat(new DiscordService.Settings(List.of(), nobody, 2, List.of(1), api, gateway).shardIds())
                .containsExactly(1);
    }

    @Test
    void listenersAreRegisteredBeforeTheShardConnectsAndRunOffTheGatewayThread() throws Exception {
        long guild = Snowflakes.next();
        long channel = Snowflakes.next();
        long ann = Snowflakes.next();
        List<String> seen = new CopyOnWriteArrayList<>();
        EventListener probe = (GenericEvent e) -> seen.add(e.getClass().getSimpleName() + " on "
                + Thread.currentThread().getName());
        try (FakeDiscord fake = FakeDiscord.builder()
                .guild(FakeGuild.builder(guild, "g").member(ann, "ann").textChannel(channel, "c").build()).start();
                Database db = Database.open(dir.resolve("d.db"))) {
            RenderQueue queue = new RenderQueue(db, new PlaceholderEngine(1, 0),
                    new RenderQueue.Settings(10, 3, dir.resolve("results"), 2, 5000), Clock.systemUTC());
            DiscordService.Settings settings = new DiscordService.Settings(List.of(Long.toString(guild)),
                    new Access("", Set.of(), Set.of()), 0, List.of(), URI.create(fake.apiBaseUrl()), URI.create(fake.gatewayUrl()));
            try (DiscordService service = DiscordService.start(fake.token(), settings, queue,
                    (channels, work) -> new DreamBot(queue, BakedPrompts.NONE, channels, db, work, () -> 7L,
                            Clock.systemUTC(), new DreamBot.Settings(Duration.ofSeconds(1), 3, Duration.ZERO)),
                    builder -> builder.addEventListeners(probe))) {
                assertThat(seen).as("a listener on the builder sees READY: it was there before the login")
                        .anyMatch(s -> s.startsWith(ReadyEvent.class.getSimpleName()));
                FakeInteraction i = fake.slashCommand(SlashCommand.named("queue").in(guild, channel).by(ann));
                fake.awaitRequest("POST", "/interactions/" + i.id() + "/*/callback", Duration.ofSeconds(10));
                // The bot's listener may answer before the probe, the next listener of the same event, has run.
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (seen.stream().noneMatch(s -> s.startsWith("SlashCommandInteractionEvent"))
                        && System.nanoTime() < until) {
                    Thread.sleep(10);
                }
                assertThat(seen).filteredOn(s -> s.startsWith("SlashCommandInteractionEvent"))
                        .singleElement().satisfies(s -> assertThat(s).contains("discord-events"));
                assertThat(fake.registeredCommands(guild)).hasSize(3);
            }
        }
    }
}
