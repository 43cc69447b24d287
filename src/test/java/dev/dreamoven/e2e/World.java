package dev.dreamoven.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dreamoven.lab.fakediscord.FakeAttachment;
import dev.dreamoven.lab.fakediscord.FakeDiscord;
import dev.dreamoven.lab.fakediscord.FakeGuild;
import dev.dreamoven.lab.fakediscord.FakeInteraction;
import dev.dreamoven.lab.fakediscord.FakeMessage;
import dev.dreamoven.lab.fakediscord.Overwrite;
import dev.dreamoven.lab.fakediscord.RecordedRequest;
import dev.dreamoven.lab.fakediscord.SlashCommand;
import dev.dreamoven.lab.fakediscord.Snowflakes;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import net.dv8tion.jda.api.Permission;

/**
 * The Discord the journeys run in: an admin guild (where the bot is administered) with a few members and
 * channels, and a second guild. Ids are fresh per world.
 */
final class World {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String RERUN = "🔁";
    static final String DELETE = "❌";

    final long botId = Snowflakes.next();
    final long adminGuild = Snowflakes.next();
    final long otherGuild = Snowflakes.next();
    final long general = Snowflakes.next();
    /** The bot may not post, attach or react here. */
    final long locked = Snowflakes.next();
    final long otherChannel = Snowflakes.next();
    /** The role whose id is configured in {@code discord.admin-roles}. */
    final long crewRole = Snowflakes.next();
    /** A role merely named like the old default admin role; its id is not configured. */
    final long namedBakerRole = Snowflakes.next();
    final long managerRole = Snowflakes.next();
    final long otherManagerRole = Snowflakes.next();
    final long alice = Snowflakes.next();
    final long bob = Snowflakes.next();
    final long carol = Snowflakes.next();
    final long dave = Snowflakes.next();
    final long mona = Snowflakes.next();
    final long erin = Snowflakes.next();
    final long otto = Snowflakes.next();
    final long owner = Snowflakes.next();
    final long finn = Snowflakes.next();
    final long gus = Snowflakes.next();
    final long hana = Snowflakes.next();
    final long ivy = Snowflakes.next();
    final long jo = Snowflakes.next();

    FakeDiscord.Builder fake() {
        return FakeDiscord.builder()
                .botUser(botId, "Dream Oven")
                .heartbeatInterval(Duration.ofSeconds(5))
                .guild(FakeGuild.builder(adminGuild, "Oven HQ")
                        .role(crewRole, "Oven Crew")
                        .role(namedBakerRole, "Baker")
                        .role(managerRole, "Managers", Permission.MANAGE_SERVER)
                        .member(alice, "alice")
                        .member(bob, "bob")
                        .member(carol, "carol", namedBakerRole)
                        .member(dave, "dave", crewRole)
                        .member(mona, "mona", managerRole)
                        .member(owner, "owner")
                        .member(finn, "finn")
                        .member(gus, "gus")
                        .member(hana, "hana")
                        .member(ivy, "ivy")
                        .member(jo, "jo")
                        .textChannel(general, "general")
                        .textChannel(locked, "locked", Overwrite.denyMember(botId, Permission.MESSAGE_SEND,
                                Permission.MESSAGE_ATTACH_FILES, Permission.MESSAGE_ADD_REACTION))
                        .build())
                .guild(FakeGuild.builder(otherGuild, "Elsewhere")
                        .role(otherManagerRole, "Managers", Permission.MANAGE_SERVER)
                        .member(erin, "erin")
                        .member(otto, "otto", otherManagerRole)
                        .member(owner, "owner")
                        .textChannel(otherChannel, "art")
                        .build());
    }

    /** The settings of every journey: guild commands in both guilds, the admin guild and role, one owner. */
    Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("discord.guilds", adminGuild + "," + otherGuild);
        s.put("discord.admin-guild", Long.toString(adminGuild));
        s.put("discord.admin-roles", Long.toString(crewRole));
        s.put("discord.owners", Long.toString(owner));
        s.put("render.per-user", "1");
        s.put("discord.delivery-tries", "3");
        s.put("discord.delivery-retry-seconds", "1");
        return s;
    }

    /** {@code /dream prompt seed} by {@code user} in the admin guild's general channel. */
    FakeInteraction dream(FakeDiscord fake, long user, String prompt, long seed) {
        return fake.slashCommand(SlashCommand.named("dream").option("prompt", prompt).option("seed", seed)
                .in(adminGuild, general).by(user));
    }

    /**
     * A dream stopped in the oven: a {@code serve} on {@code config} takes it, shows a preview and is stopped
     * gracefully, so the job waits in the queue for the next start.
     */
    FakeInteraction dreamStoppedMidRender(FakeDiscord fake, java.nio.file.Path config, long user, String prompt,
            long seed) throws InterruptedException {
        try (Serve first = Serve.inProcess(config, Serve.environment(fake)).awaitOnline(fake, 0)) {
            FakeInteraction i = dream(fake, user, prompt, seed);
            fake.awaitRequest(webhookOf(fake, i).and(uploads("preview-")), WAIT);
            return i;
        }
    }

    // ------------------------------------------------------------------ what the fake received

    /** The bot's acknowledgement of an interaction; fails unless it came within Discord's 3 seconds. */
    static RecordedRequest awaitAck(FakeDiscord fake, FakeInteraction i) {
        RecordedRequest ack = fake.awaitRequest("POST", "/interactions/" + i.id() + "/*/callback", WAIT);
        assertThat(ack.status()).as("acknowledged in time: %s", ack).isBetween(200, 299);
        assertThat(Duration.between(i.dispatchedAt(), ack.at())).isLessThan(Duration.ofSeconds(3));
        return ack;
    }

    /** Whether a request goes to the webhook of this interaction (its token). */
    static Predicate<RecordedRequest> webhookOf(FakeDiscord fake, FakeInteraction i) {
        String prefix = "/webhooks/" + fake.applicationId() + "/" + i.token();
        return r -> r.path().equals(prefix) || r.path().startsWith(prefix + "/");
    }

    /** Whether a request uploads a file whose name starts with {@code prefix}. */
    static Predicate<RecordedRequest> uploads(String prefix) {
        return r -> r.files().stream().anyMatch(p -> p.filename().startsWith(prefix));
    }

    /** A finished picture: a message with a {@code dream-N-seedS.png} attachment. */
    static boolean isResult(FakeMessage m) {
        return m.attachments().stream().anyMatch(a -> a.filename().startsWith("dream-"));
    }

    static FakeAttachment resultPicture(FakeMessage m) {
        return m.attachments().stream().filter(a -> a.filename().startsWith("dream-")).findFirst().orElseThrow();
    }

    /** Polls the fake's messages until one matches. */
    static FakeMessage awaitMessage(FakeDiscord fake, Predicate<FakeMessage> match, String what) {
        return await(() -> fake.messages().stream().filter(match).findFirst(), what);
    }

    static <T> T await(Supplier<Optional<T>> probe, String what) {
        return await(probe, what, WAIT);
    }

    static <T> T await(Supplier<Optional<T>> probe, String what, Duration wait) {
        long end = System.nanoTime() + wait.toNanos();
        while (true) {
            Optional<T> found = probe.get();
            if (found.isPresent()) {
                return found.get();
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    static List<FakeMessage> results(FakeDiscord fake) {
        return fake.messages().stream().filter(World::isResult).toList();
    }
}
