package dev.dreamoven.lab.bench;

import dev.dreamoven.app.DreamOven;
import dev.dreamoven.lab.fakediscord.FakeDiscord;
import dev.dreamoven.lab.fakediscord.FakeGuild;
import dev.dreamoven.lab.fakediscord.FakeInteraction;
import dev.dreamoven.lab.fakediscord.RecordedFrame;
import dev.dreamoven.lab.fakediscord.RecordedRequest;
import dev.dreamoven.lab.fakediscord.SlashCommand;
import dev.dreamoven.lab.fakediscord.Snowflakes;
import dev.dreamoven.render.PlaceholderEngine;
import dev.dreamoven.settings.Settings;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench ack}: how fast {@code /dream} is acknowledged when many arrive at once, end to end. A fake Discord
 * on 127.0.0.1 ({@link FakeDiscord}) sends {@code events} slash commands from as many members over the gateway,
 * {@code threads} at a time; the product's own {@code serve} wiring (composition root, real JDA, the SQLite queue,
 * a placeholder engine taking 2 s a job, as renders take seconds) answers them, after a warm-up. Latency = from
 * the fake writing INTERACTION_CREATE to the bot's callback arriving at the fake (Discord allows 3 s); the fake
 * runs in the same process, on the same cores. Also reported: until the reply shows the queue position (the job is
 * durably stored by then).
 */
public final class AckBenchmark {

    private static final Duration WAIT = Duration.ofSeconds(120);
    /** A render takes seconds in production; an instant one would flood Discord with results during the burst. */
    private static final long RENDER_MILLIS = 2000;
    private static final int WARM_UP_ROUNDS = 3;
    private static final int WARM_UP_BURST = 50;

    private AckBenchmark() {
    }

    /** Runs the benchmark and prints figures; the last line is {@code bench ack: p50 <ms> ms, p99 <ms> ms over <n> events}. */
    public static void run(Settings settings, int events, int threads, PrintWriter out) throws Exception {
        Path dir = Files.createTempDirectory("dreamoven-bench-ack");
        long guild = Snowflakes.next();
        long channel = Snowflakes.next();
        long[] users = new long[events];
        FakeGuild.Builder g = FakeGuild.builder(guild, "bench").textChannel(channel, "bench");
        for (int k = 0; k < events; k++) {
            users[k] = Snowflakes.next();
            g.member(users[k], "user" + k);
        }
        ExecutorService senders = Executors.newFixedThreadPool(threads);
        try (FakeDiscord fake = FakeDiscord.builder().guild(g.build()).start()) {
            Settings.Discord d = settings.discord();
            Settings pointed = settings
                    .withStore(Settings.Store.sqlite(dir.resolve("bench.db"), dir.resolve("baked"), dir.resolve("results")))
                    .withDiscord(new Settings.Discord(d.tokenFile(), List.of(Long.toString(guild)), "", List.of(),
                            List.of(), Duration.ofSeconds(60), d.deliveryTries(), d.deliveryRetry(), 1,
                            URI.create(fake.apiBaseUrl()), URI.create(fake.gatewayUrl()), List.of()));
            try (DreamOven root = new DreamOven(pointed, Map.of());
                    AutoCloseable bot = root.serveDiscord(fake.token(), new PlaceholderEngine(1, RENDER_MILLIS),
                            dev.dreamoven.render.RenderQueue.Role.ALL)) {
                fake.awaitRequest(r -> r.method().equals("PUT") && r.path().endsWith("/commands"), WAIT);
                warmUp(fake, guild, channel, users);

                CountDownLatch go = new CountDownLatch(1);
                List<Future<FakeInteraction>> sent = new ArrayList<>();
                for (int k = 0; k < events; k++) {
                    SlashCommand command = SlashCommand.named("dream").option("prompt", "a red circle number " + k)
                            .in(guild, channel).by(users[k]);
                    sent.add(senders.submit(() -> {
                        go.await();
                        return fake.slashCommand(command);
                    }));
                }
                long t0 = System.nanoTime();
                go.countDown();
                List<FakeInteraction> interactions = new ArrayList<>();
                for (Future<FakeInteraction> f : sent) {
                    interactions.add(f.get(60, TimeUnit.SECONDS));
                }
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (interactions.stream().anyMatch(i -> i.callbackType() == 0) && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                long wall = System.nanoTime() - t0;
                java.util.Set<String> tokens = interactions.stream().map(FakeInteraction::token)
                        .collect(java.util.stream.Collectors.toSet());
                Map<String, Instant> positionShown = awaitAnswers(fake, tokens);
                java.util.Set<String> refused = refusals(fake);
                int refusedByQueue = (int) tokens.stream().filter(refused::contains).count();
                Map<Long, Instant> sentAt = new HashMap<>();
                for (RecordedFrame f : fake.frames().all(f -> f.isDispatch("INTERACTION_CREATE"))) {
                    sentAt.put(f.data().get("id").getAsLong(), f.at());
                }
                Map<Long, Instant> ackArrived = new HashMap<>();
                for (RecordedRequest r : fake.requests().all(r -> r.is("POST", "/interactions/*/*/callback"))) {
                    ackArrived.putIfAbsent(Long.parseLong(r.segment(1)), r.at());
                }
                List<FakeInteraction> acked = interactions.stream()
                        .filter(i -> i.ackedAt() != null && sentAt.containsKey(i.id())).toList();
                double[] ack = sorted(acked.stream()
                        .mapToDouble(i -> millis(sentAt.get(i.id()), ackArrived.get(i.id()))).toArray());
                double[] pos = sorted(interactions.stream()
                        .filter(i -> positionShown.containsKey(i.token()) && sentAt.containsKey(i.id()))
                        .mapToDouble(i -> millis(sentAt.get(i.id()), positionShown.get(i.token()))).toArray());
                double[] inFake = sorted(interactions.stream().filter(i -> sentAt.containsKey(i.id()))
                        .mapToDouble(i -> millis(i.dispatchedAt(), sentAt.get(i.id()))).toArray());
                long late = Arrays.stream(ack).filter(ms -> ms > 3000).count();
                long callbacksRefused = fake.requests().all(r -> r.is("POST", "/interactions/*/*/callback")
                        && !r.succeeded()).size();
                out.printf(Locale.ROOT, "events %d from %d sender threads over a fake Discord on 127.0.0.1, wall %.0f ms%n",
                        events, threads, wall / 1e6);
                out.printf(Locale.ROOT, "acknowledged %d of %d (%d after Discord's 3 s, %d callbacks refused)%n",
                        ack.length, events, late, callbacksRefused);
                out.printf(Locale.ROOT, "acknowledgement (INTERACTION_CREATE written -> callback arrived): p50 %.1f ms, "
                        + "p99 %.1f ms, max %.1f ms%n", pct(ack, 50), pct(ack, 99), max(ack));
                out.printf(Locale.ROOT, "(the fake itself took p50 %.1f ms, p99 %.1f ms to build and send each event)%n",
                        pct(inFake, 50), pct(inFake, 99));
                out.printf(Locale.ROOT, "queue position shown (job stored in SQLite): p50 %.1f ms, p99 %.1f ms, "
                        + "max %.1f ms (%d of %d; %d refused privately)%n", pct(pos, 50), pct(pos, 99), max(pos),
                        pos.length, events, refusedByQueue);
                out.printf(Locale.ROOT, "bench ack: p50 %.1f ms, p99 %.1f ms over %d events%n", pct(ack, 50),
                        pct(ack, 99), events);
                out.flush();
            }
        } finally {
            senders.shutdownNow();
            deleteQuietly(dir);
        }
    }

    /**
     * Bursts of {@code /queue} through the whole path first (gateway event, acknowledgement, a database read, the
     * edit), and one {@code /dream}, so that class loading and the JIT do not count: a bot runs for days.
     */
    private static void warmUp(FakeDiscord fake, long guild, long channel, long[] users) {
        for (int round = 0; round < WARM_UP_ROUNDS; round++) {
            List<FakeInteraction> sent = new ArrayList<>();
            for (int k = 0; k < Math.min(users.length, WARM_UP_BURST); k++) {
                sent.add(fake.slashCommand(SlashCommand.named("queue").in(guild, channel).by(users[k])));
            }
            for (FakeInteraction i : sent) {
                fake.awaitRequest(r -> r.is("PATCH", "/webhooks/*/" + i.token() + "/messages/@original"), WAIT);
            }
        }
        FakeInteraction i = fake.slashCommand(SlashCommand.named("dream").option("prompt", "warm up")
                .in(guild, channel).by(users[0]));
        fake.awaitRequest(r -> r.is("POST", "/interactions/" + i.id() + "/*/callback"), WAIT);
    }

    /** Waits (30 s at most) until each interaction shows its position or was refused; the first edits by token. */
    private static Map<String, Instant> awaitAnswers(FakeDiscord fake, java.util.Set<String> tokens)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            Map<String, Instant> shown = firstEdits(fake);
            java.util.Set<String> refused = refusals(fake);
            if (tokens.stream().allMatch(t -> shown.containsKey(t) || refused.contains(t))
                    || System.nanoTime() > deadline) {
                return shown;
            }
            Thread.sleep(50);
        }
    }

    /** The tokens of interactions whose public placeholder was deleted for a private refusal. */
    private static java.util.Set<String> refusals(FakeDiscord fake) {
        java.util.Set<String> tokens = new java.util.HashSet<>();
        for (RecordedRequest r : fake.requests().all(r -> r.is("DELETE", "/webhooks/*/*/messages/@original"))) {
            tokens.add(r.segment(2));
        }
        return tokens;
    }

    /** The first edit of each interaction's original reply, by token. */
    private static Map<String, Instant> firstEdits(FakeDiscord fake) {
        Map<String, Instant> first = new HashMap<>();
        for (RecordedRequest r : fake.requests().all(r -> r.is("PATCH", "/webhooks/*/*/messages/@original"))) {
            first.putIfAbsent(r.segment(2), r.at());
        }
        return first;
    }

    private static double millis(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e6;
    }

    private static double[] sorted(double[] values) {
        Arrays.sort(values);
        return values;
    }

    private static double pct(double[] sorted, int p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static double max(double[] sorted) {
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // a temp folder; the OS cleans up what is left
                }
            });
        } catch (IOException e) {
            // same
        }
    }
}
