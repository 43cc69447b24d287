package dev.dreamoven.lab.bench;

import dev.dreamoven.cli.Services;

import dev.dreamoven.bot.Channels;
import dev.dreamoven.bot.DreamBot;
import dev.dreamoven.bot.Post;
import dev.dreamoven.discord.JdaListener;

import dev.dreamoven.render.PlaceholderEngine;
import dev.dreamoven.render.RenderQueue;
import dev.dreamoven.store.Database;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.entities.User;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.interactions.InteractionHook;
import net.dv8tion.jda.api.interactions.commands.OptionMapping;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.SlashCommandInteraction;
import net.dv8tion.jda.api.requests.restaction.interactions.ReplyCallbackAction;
import net.dv8tion.jda.api.utils.data.DataObject;

/**
 * {@code bench ack}: how fast a {@code /dream} is acknowledged when many arrive at once. Stand-in
 * JDA events (dynamic proxies; no network) go through the real {@link JdaListener} and
 * {@link DreamBot} into the real SQLite queue with a placeholder engine. Latency = from handing the
 * event to the listener until {@code deferReply(...).queue()}; also reported: until the reply that
 * shows the queue position (after the job is durably stored).
 */
public final class AckBenchmark {

    private AckBenchmark() {
    }

    /** Runs the benchmark and prints figures; the last line is {@code bench ack: p99 <ms> ms over <n> events}. */
    public static void run(Services services, int events, int gatewayThreads, PrintWriter out) throws Exception {
        Path dir = Files.createTempDirectory("dreamoven-bench-ack");
        long[] ackNanos = new long[events];
        long[] positionNanos = new long[events];
        CountDownLatch positioned = new CountDownLatch(events);
        ExecutorService work = Executors.newFixedThreadPool(4);
        ExecutorService gateway = Executors.newFixedThreadPool(gatewayThreads);
        try (Database db = Database.open(dir.resolve("bench.db"))) {
            Services.Chat chat = services.chat(db, dir.resolve("results"), new PlaceholderEngine(1, 0), new NoChannels(),
                    work, new AtomicLong()::incrementAndGet);
            RenderQueue queue = chat.queue();
            DreamBot bot = chat.bot();
            JdaListener listener = new JdaListener(bot, "", work);
            queue.start(bot);
            warmUp(listener);
            CountDownLatch go = new CountDownLatch(1);
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (int n = 0; n < events; n++) {
                int k = n;
                SlashCommandInteractionEvent event = dreamEvent(1000 + k, "user" + k, "a red circle number " + k,
                        ackNanos, positionNanos, k, positioned);
                sent.add(gateway.submit(() -> {
                    go.await();
                    long start = System.nanoTime();
                    ackNanos[k] = -start;
                    positionNanos[k] = -start;
                    listener.onSlashCommandInteraction(event);
                    return null;
                }));
            }
            long t0 = System.nanoTime();
            go.countDown();
            for (var f : sent) {
                f.get(60, TimeUnit.SECONDS);
            }
            boolean all = positioned.await(60, TimeUnit.SECONDS);
            long wall = System.nanoTime() - t0;
            queue.close();
            double[] ack = millis(ackNanos);
            double[] pos = millis(positionNanos);
            out.printf(Locale.ROOT, "events %d from %d gateway threads, wall %.0f ms%s%n", events, gatewayThreads,
                    wall / 1e6, all ? "" : " (some position replies missing)");
            out.printf(Locale.ROOT, "acknowledgement (deferReply queued): p50 %.3f ms, p99 %.3f ms, max %.3f ms%n",
                    pct(ack, 50), pct(ack, 99), ack[ack.length - 1]);
            out.printf(Locale.ROOT, "queue position shown (job stored in SQLite): p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    pct(pos, 50), pct(pos, 99), pos[pos.length - 1]);
            out.printf(Locale.ROOT, "bench ack: p99 %.3f ms over %d events%n", pct(ack, 99), events);
            out.flush();
        } finally {
            gateway.shutdownNow();
            work.shutdownNow();
            deleteQuietly(dir);
        }
    }

    private static void warmUp(JdaListener listener) {
        long[] a = new long[1];
        long[] b = new long[1];
        listener.onSlashCommandInteraction(dreamEvent(1, "warm-up", "warm up", a, b, 0, new CountDownLatch(1)));
    }

    private static double[] millis(long[] nanos) {
        double[] ms = Arrays.stream(nanos).mapToDouble(n -> n / 1e6).toArray();
        Arrays.sort(ms);
        return ms;
    }

    private static double pct(double[] sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    /** A /dream event; {@code deferReply(..).queue()} and the first reply edit stamp the clocks. */
    private static SlashCommandInteractionEvent dreamEvent(long id, String userId, String prompt, long[] ack,
            long[] positioned, int k, CountDownLatch positionedLatch) {
        OptionMapping promptOption = option(DataObject.empty().put("name", "prompt")
                .put("type", OptionType.STRING.getKey()).put("value", prompt));
        User user = stub(User.class, Map.of("getId", a -> userId, "getIdLong", a -> id));
        ReplyCallbackAction defer = stub(ReplyCallbackAction.class, Map.of("queue", a -> {
            ack[k] += System.nanoTime();
            return null;
        }));
        boolean[] first = {true};
        Function<Object[], Object> positionReply = a -> {
            synchronized (first) {
                if (first[0]) {
                    first[0] = false;
                    positioned[k] += System.nanoTime();
                    positionedLatch.countDown();
                }
            }
            return null;
        };
        Object editAction = stub(net.dv8tion.jda.api.requests.restaction.WebhookMessageEditAction.class,
                Map.of("queue", positionReply));
        InteractionHook hook = stub(InteractionHook.class, Map.of("isExpired", a -> false, "editOriginal", a -> editAction,
                "getExpirationTimestamp", a -> Long.MAX_VALUE));
        SlashCommandInteraction interaction = stub(SlashCommandInteraction.class, Map.of(
                "getName", a -> "dream", "getIdLong", a -> id, "getUser", a -> user, "getOptions", a -> List.of(promptOption),
                "getChannelIdLong", a -> 42L, "deferReply", a -> defer, "getHook", a -> hook));
        JDA jda = stub(JDA.class, Map.of());
        return new SlashCommandInteractionEvent(jda, id, interaction);
    }

    /** JDA's own option object; its resolved-entities map (a trove type, runtime-only) is made reflectively. */
    private static OptionMapping option(DataObject data) {
        try {
            Object resolved = Class.forName("gnu.trove.map.hash.TLongObjectHashMap").getConstructor().newInstance();
            return (OptionMapping) OptionMapping.class.getConstructors()[0].newInstance(data, resolved, null, null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build a JDA option for the benchmark", e);
        }
    }

    /**
     * A dynamic proxy: named methods answer as given, default methods run, builder-style methods
     * return the proxy itself, everything else returns null / 0 / false.
     */
    @SuppressWarnings("unchecked")
    private static <T> T stub(Class<T> type, Map<String, Function<Object[], Object>> answers) {
        InvocationHandler h = new InvocationHandler() {
            @Override
            public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
                Function<Object[], Object> answer = answers.get(m.getName());
                if (answer != null) {
                    return answer.apply(args);
                }
                switch (m.getName()) {
                    case "hashCode":
                        return System.identityHashCode(proxy);
                    case "equals":
                        return proxy == args[0];
                    case "toString":
                        return "stub " + type.getSimpleName();
                    default:
                        break;
                }
                if (m.isDefault()) {
                    return InvocationHandler.invokeDefault(proxy, m, args);
                }
                Class<?> r = m.getReturnType();
                if (r.isInstance(proxy)) {
                    return proxy;
                }
                if (r == boolean.class) {
                    return false;
                }
                if (r == long.class) {
                    return 0L;
                }
                if (r == int.class) {
                    return 0;
                }
                if (r == double.class) {
                    return 0.0;
                }
                return null;
            }
        };
        return (T) Proxy.newProxyInstance(AckBenchmark.class.getClassLoader(), new Class<?>[] {type}, h);
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

    /** The benchmark posts no results anywhere. */
    private static final class NoChannels implements Channels {
        @Override
        public java.util.concurrent.CompletableFuture<String> post(String channelId, Post post) {
            return java.util.concurrent.CompletableFuture.completedFuture("0");
        }

        @Override
        public void edit(String channelId, String messageId, Post post) {
        }

        @Override
        public void react(String channelId, String messageId, String emoji) {
        }

        @Override
        public void delete(String channelId, String messageId) {
        }
    }
}
